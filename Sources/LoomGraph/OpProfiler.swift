/// Wall time per op kind, forward and backward, summed over every graph run with it
/// (`RunState.profiler`): where a training step's time goes, for `loom bench --profile`.
public final class OpProfiler: @unchecked Sendable {
  public struct Entry: Sendable {
    public var calls = 0
    public var seconds = 0.0
  }
  public private(set) var entries: [String: Entry] = [:]
  /// Whether each op's shapes and detail are part of its key (`matmul transposeB [256, 50, 100]
  /// x [100, 100] (backward)`), which splits the products by size; plain op names otherwise.
  public let byShape: Bool

  public init(byShape: Bool = false) { self.byShape = byShape }

  /// The row an op's time goes into.
  func key(_ op: any Op, _ io: OpIO, _ pass: String) -> String {
    guard byShape else { return op.name + " (" + pass + ")" }
    let detail = op.detail.isEmpty ? "" : " " + op.detail
    let shapes = io.inputShapes.map(\.description).joined(separator: " x ")
    return op.name + detail + " " + shapes + " (" + pass + ")"
  }

  func add(_ key: String, _ seconds: Double) {
    entries[key, default: Entry()].calls += 1
    entries[key, default: Entry()].seconds += seconds
  }

  /// The top `limit` entries by time, with their share of the total.
  public func report(limit: Int = 15) -> String {
    let total = entries.values.reduce(0) { $0 + $1.seconds }
    let top = entries.sorted { $0.value.seconds > $1.value.seconds }.prefix(limit)
    var lines = ["op (pass)                          calls   seconds   share"]
    for (name, e) in top {
      lines.append(
        name.padding(toLength: max(34, name.count + 1), withPad: " ", startingAt: 0)
          + String(format: "%6d  %8.3f  %5.1f%%", e.calls, e.seconds, 100 * e.seconds / max(total, 1e-12)))
    }
    lines.append(String(format: "total %.3f s in ops", total))
    return lines.joined(separator: "\n")
  }
}
