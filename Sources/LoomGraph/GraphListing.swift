import Foundation
import LoomTensor

extension CompiledGraph {
  /// The compiled forward pass for people: one line per op with input and output shapes, the
  /// bytes of its output and the layer that made it, then the memory totals.
  public var listing: String {
    var lines: [[String]] = [["#", "op", "inputs", "output", "bytes", "layer"]]
    for (i, step) in forwardSteps.enumerated() {
      let node = graph[step.node]
      let op = step.op.detail.isEmpty ? step.op.name : "\(step.op.name) (\(step.op.detail))"
      lines.append([
        String(i + 1), op, step.io.inputShapes.map(\.description).joined(separator: " "),
        node.shape.description, Self.bytes(node.shape.count * 4), node.scope,
      ])
    }
    let widths = (0..<6).map { c in lines.map { $0[c].count }.max() ?? 0 }
    var text = lines.map { row in
      row.enumerated().map { c, s in s.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
        .joined(separator: "  ").trimmingTrailingSpaces()
    }.joined(separator: "\n")
    let paramFloats = Set(
      graph.nodes.compactMap { n -> ObjectIdentifier? in
        if case .parameter(let p) = n.kind { return ObjectIdentifier(p) } else { return nil }
      }
    ).count
    let parameterValues = graph.nodes.reduce(into: [ObjectIdentifier: Int]()) { acc, n in
      if case .parameter(let p) = n.kind { acc[ObjectIdentifier(p)] = p.count }
    }.values.reduce(0, +)
    text += "\n\(forwardSteps.count) ops forward, \(backwardSteps.count) backward; "
    text += "activations \(Self.bytes(plan.arenaFloats * 4)) planned (\(Self.bytes(plan.unplannedFloats * 4)) without reuse); "
    text += "\(paramFloats) parameter tensors, \(parameterValues) values (\(Self.bytes(parameterValues * 4)))"
    return text
  }

  static func bytes(_ n: Int) -> String {
    if n < 1024 { return "\(n) B" }
    if n < 1 << 20 { return String(format: "%.1f KiB", Double(n) / 1024) }
    if n < 1 << 30 { return String(format: "%.1f MiB", Double(n) / 1_048_576) }
    return String(format: "%.2f GiB", Double(n) / 1_073_741_824)
  }
}

extension String {
  func trimmingTrailingSpaces() -> String {
    var s = self
    while s.last == " " { s.removeLast() }
    return s
  }
}
