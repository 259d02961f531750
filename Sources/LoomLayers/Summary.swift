import LoomGraph

extension Recommender {
  /// A Keras-style table: each value of the model in build order with its layer, level and
  /// shape, and parameters; then the totals and the auxiliary losses with their weights.
  public var summary: String {
    var rows: [[String]] = [["layer", "made by", "output", "parameters"]]
    var seenLayers = Set<ObjectIdentifier>()
    for node in Self.ancestry([user, item] + auxiliaryLosses.map(\.node)) {
      let first = seenLayers.insert(ObjectIdentifier(node.layer)).inserted
      let count = first ? node.layer.parameterCount : 0
      rows.append([
        name(of: node.layer), "\(node.layer)", "\(node.level) \(node.shapeDescription)",
        count == 0 ? "" : Self.grouped(count),
      ])
    }
    let widths = (0..<4).map { c in rows.map { $0[c].count }.max() ?? 0 }
    func line(_ r: [String]) -> String {
      r.enumerated().map { c, s in
        c == 3
          ? String(repeating: " ", count: widths[3] - s.count) + s
          : s.padding(toLength: widths[c], withPad: " ", startingAt: 0)
      }
      .joined(separator: "  ")
    }
    let rule = String(repeating: "─", count: widths.reduce(6, +))
    var text = [line(rows[0]), rule] + rows.dropFirst().map(line) + [rule]
    text.append("user \(user.shapeDescription) · item \(item.shapeDescription) → score [batch, items]")
    text.append(
      "parameters: \(Self.grouped(parameterCount)) (\(String(format: "%.1f", Double(parameterCount) * 4 / 1_048_576)) MiB)")
    for (node, weight) in auxiliaryLosses {
      text.append("auxiliary loss: \(weight) · \(name(of: node.layer)) (\(node.layer))")
    }
    return text.joined(separator: "\n")
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
