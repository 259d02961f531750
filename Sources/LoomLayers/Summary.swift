import LoomGraph

extension Recommender {
  /// A Keras-style table: each value of the model in build order with its layer, level and
  /// shape, and parameters; then the totals and the auxiliary losses with their weights.
  public var summary: String {
    let table = summaryTable
    let widths = (0..<4).map { c in ([table.header] + table.rows).map { $0[c].count }.max() ?? 0 }
    func line(_ r: [String]) -> String {
      r.enumerated().map { c, s in
        c == 3
          ? String(repeating: " ", count: widths[3] - s.count) + s
          : s.padding(toLength: widths[c], withPad: " ", startingAt: 0)
      }
      .joined(separator: "  ")
    }
    let rule = String(repeating: "─", count: widths.reduce(6, +))
    return ([line(table.header), rule] + table.rows.map(line) + [rule] + table.notes).joined(separator: "\n")
  }

  /// The summary's cells, for front ends that draw their own table (a notebook's HTML): one row
  /// per value in build order (a shared layer's parameters are counted at its first use), and
  /// the lines under the table.
  public var summaryTable: (header: [String], rows: [[String]], notes: [String]) {
    var rows: [[String]] = []
    var seenLayers = Set<ObjectIdentifier>()
    for node in Self.ancestry([user, item] + auxiliaryLosses.map(\.node)) {
      let first = seenLayers.insert(ObjectIdentifier(node.layer)).inserted
      let count = first ? node.layer.parameterCount : 0
      rows.append([
        name(of: node.layer), "\(node.layer)", "\(node.level) \(node.shapeDescription)",
        count == 0 ? "" : Self.grouped(count),
      ])
    }
    var notes = ["user \(user.shapeDescription) · item \(item.shapeDescription) → score [batch, items]"]
    notes.append(
      "parameters: \(Self.grouped(parameterCount)) (\(String(format: "%.1f", Double(parameterCount) * 4 / 1_048_576)) MiB)")
    for (node, weight) in auxiliaryLosses {
      notes.append("auxiliary loss: \(weight) · \(name(of: node.layer)) (\(node.layer))")
    }
    return (["layer", "made by", "output", "parameters"], rows, notes)
  }

  public static func grouped(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, ch) in s.reversed().enumerated() {
      if i > 0 && i % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return String(out.reversed())
  }

  /// The compiled training graph for a batch of this size, as `graph(model)` shows it.
  public func trainingGraphListing(batch: Int, maxlen: Int, objective: Objective) throws -> String {
    let rows =
      objective == .ce
      ? catalog.itemCount + 1 : ItemSet.bucket(min(catalog.itemCount + 1, batch * maxlen * 2), itemCount: catalog.itemCount)
    return try TrainingProgram(self, batch: batch, maxlen: maxlen, itemRows: rows, objective: objective).graph.listing
  }
}
