import Foundation

/// What a comparison produces: per row, mean ± standard deviation of each metric over the runs,
/// the two-sided paired t-test p-value of its per-user values (averaged over runs) against the
/// first row's, how it was trained, seconds per epoch and training seconds up to the best epoch.
public struct ComparisonTable: Sendable {
  public struct Row: Sendable {
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
  /// Rows that could not be trained or evaluated, with the reason; they have no row.
  public let failures: [(model: String, message: String)]
  /// Rows still to train (a partial table written while the comparison runs).
  public let pending: Int

  public init(
    metrics: [String], rows: [Row], runs: Int, protocolText: String,
    failures: [(model: String, message: String)] = [], pending: Int = 0
  ) {
    (self.metrics, self.rows, self.runs, self.protocolText) = (metrics, rows, runs, protocolText)
    (self.failures, self.pending) = (failures, pending)
  }

  /// One row from its finished runs (in run order) out of `runs`; `base` holds the first row's
  /// per-user values averaged over its runs, for the paired t-test. Returns the row and its own
  /// averaged values.
  static func row(
    label: String, results: [CompareJournal.Run], runs: Int, metrics: [String], base: [String: [Double]]?
  ) -> (Row, [String: [Double]]) {
    var values: [String: [Double]] = [:]
    var users: [String: [Double]] = [:]
    for result in results {
      for m in metrics {
        values[m, default: []].append(result.metrics[m] ?? .nan)
        if let u = result.perUser[m] {
          let previous = users[m] ?? [Double](repeating: 0, count: u.count)
          users[m] = zip(previous, u).map { $0 + $1 / Double(runs) }
        }
      }
    }
    let seconds = results.compactMap(\.secondsPerEpoch)
    let toBest = results.compactMap(\.secondsToBest)
    var row = Row(
      model: label, training: results.last?.training ?? "counts of training interactions",
      means: [:], stds: [:], pValues: [:],
      secondsPerEpoch: seconds.isEmpty ? 0 : Statistics.mean(seconds),
      secondsToBest: toBest.isEmpty ? 0 : Statistics.mean(toBest))
    for m in metrics {
      let v = values[m] ?? []
      row.means[m] = Statistics.mean(v)
      row.stds[m] = v.count > 1 ? Statistics.standardDeviation(v) : 0
      if let base, let mine = users[m], let first = base[m], mine.count == first.count {
        row.pValues[m] = (try? Statistics.pairedTTest(mine, first))?.p
      }
    }
    return (row, users)
  }

  /// Header and cells of the table, shared by the text and the Markdown forms.
  public var cells: [[String]] {
    var table = [["model", "training"] + metrics.map { "\($0) (p vs \(rows.first?.model ?? ""))" } + ["s/epoch", "s to best"]]
    for r in rows {
      table.append(
        [r.model, r.training]
          + metrics.map { m in
            var cell = String(format: "%.4f ± %.4f", r.means[m] ?? .nan, r.stds[m] ?? .nan)
            if let p = r.pValues[m] { cell += p < 0.001 ? " (p<0.001)" : String(format: " (p=%.3f)", p) }
            return cell
          } + [String(format: "%.2f", r.secondsPerEpoch), String(format: "%.1f", r.secondsToBest)])
    }
    return table
  }

  public var footer: String {
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

  /// The table in aligned columns, for a terminal.
  public var text: String {
    let table = cells
    let widths = table[0].indices.map { c in table.map { $0[c].count }.max() ?? 0 }
    let lines = table.map { row in
      row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
    }
    return lines.joined(separator: "\n") + "\n" + footer
  }
}
