import LoomRec

/// The table `compare` returns: per model, mean ± standard deviation of each metric over runs,
/// the paired t-test p-value of its per-user values (averaged over runs) against the first
/// model's, how it was trained, seconds per epoch and training seconds up to the best epoch.
public final class ComparisonValue: HostValue {
  public struct Row {
    public var model: String
    /// Instance mode and loss, e.g. "windows, ce (full softmax)".
    public var training: String
    public var means: [String: Double]
    public var stds: [String: Double]
    public var pValues: [String: Double]
    public var secondsPerEpoch: Double
    /// Wall seconds of the epochs up to and including the best validated one (mean over runs).
    public var secondsToBest: Double
  }
  public let metrics: [String]
  public let rows: [Row]
  public let runs: Int
  public let protocolText: String
  /// Models that could not be trained or evaluated, with the reason; they have no row.
  public let failures: [(model: String, message: String)]
  /// Models still to train (a partial table written while `compare` runs).
  public let pending: Int

  init(metrics: [String], rows: [Row], runs: Int, protocolText: String,
       failures: [(model: String, message: String)] = [], pending: Int = 0) {
    (self.metrics, self.rows, self.runs, self.protocolText) = (metrics, rows, runs, protocolText)
    (self.failures, self.pending) = (failures, pending)
  }

  /// One record per model: `model`, each metric's mean, `METRIC std`, `METRIC p`.
  public var records: [Record] {
    rows.map { r in
      var keys = ["model"], values: [Value] = [.string(r.model)]
      for m in metrics {
        keys += [m, m + " std", m + " p"]
        values += [.number(r.means[m] ?? .nan), .number(r.stds[m] ?? .nan), r.pValues[m].map { .number($0) } ?? .none]
      }
      keys += ["training", "s/epoch", "s to best"]
      values += [.string(r.training), .number(r.secondsPerEpoch), .number(r.secondsToBest)]
      return Record(keys: keys, values: values)
    }
  }

  public var typeName: String { "comparison" }
  /// Header and cells of the table, shared by the text and the Markdown forms.
  var cells: [[String]] {
    var table = [["model", "training"] + metrics.map { "\($0) (p vs \(rows.first?.model ?? ""))" } + ["s/epoch", "s to best"]]
    for r in rows {
      table.append([r.model, r.training] + metrics.map { m in
        var cell = String(format: "%.4f ± %.4f", r.means[m] ?? .nan, r.stds[m] ?? .nan)
        if let p = r.pValues[m] { cell += p < 0.001 ? " (p<0.001)" : String(format: " (p=%.3f)", p) }
        return cell
      } + [String(format: "%.2f", r.secondsPerEpoch), String(format: "%.1f", r.secondsToBest)])
    }
    return table
  }

  var footer: String {
    var text = "\(runs) run\(runs == 1 ? "" : "s") per model (seeds 1...\(runs)); " + protocolText
    for f in failures { text += "\n\(f.model) failed: \(f.message)" }
    if pending > 0 { text += "\n(\(pending) more model\(pending == 1 ? "" : "s") still to train)" }
    return text
  }

  /// A GitHub Markdown table followed by the runs and the protocol.
  public var markdown: String {
    let table = cells
    var lines = ["| " + table[0].joined(separator: " | ") + " |", "|" + table[0].map { _ in " --- |" }.joined()]
    lines += table.dropFirst().map { "| " + $0.joined(separator: " | ") + " |" }
    return lines.joined(separator: "\n") + "\n\n" + footer + "\n"
  }

  public var description: String {
    let table = cells
    let widths = table[0].indices.map { c in table.map { $0[c].count }.max() ?? 0 }
    let lines = table.map { row in
      row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
    }
    return lines.joined(separator: "\n") + "\n" + footer
  }
  public var length: Int? { rows.count }
  public func elements() throws -> [Value]? { records.map { .record($0) } }
  public func element(at index: Value) throws -> Value? {
    guard case .number(let n) = index, Int(n) >= 0, Int(n) < rows.count else { return nil }
    return .record(records[Int(n)])
  }
}
