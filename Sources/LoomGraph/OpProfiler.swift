/// Wall time per op kind, forward and backward, summed over every graph run with it
/// (`RunState.profiler`): where a training step's time goes, for `loom bench --profile`.
public final class OpProfiler: @unchecked Sendable {
  public struct Entry: Sendable {
    public var calls = 0
    public var seconds = 0.0
  }
  public private(set) var entries: [String: Entry] = [:]

  public init() {}

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
        name.padding(toLength: 34, withPad: " ", startingAt: 0)
          + String(format: "%6d  %8.3f  %5.1f%%", e.calls, e.seconds, 100 * e.seconds / max(total, 1e-12)))
    }
    lines.append(String(format: "total %.3f s in ops", total))
    return lines.joined(separator: "\n")
  }
}
