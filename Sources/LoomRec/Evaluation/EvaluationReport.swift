import Foundation

/// The result of one evaluation: per-case metric values (kept for significance tests), their
/// means, and the protocol that produced them, printed together.
public struct EvaluationReport: Sendable, CustomStringConvertible {
  public var evaluationProtocol: EvaluationProtocol
  /// Metric names in the requested order, e.g. ["hr@10", "ndcg@10"].
  public var metricNames: [String]
  /// The user of each case, in case order.
  public var users: [Int]
  /// Metric name -> value of each case, in case order.
  public var values: [String: [Double]]

  public var caseCount: Int { users.count }

  /// The mean over cases of metric `name` ("ndcg@10"), or nil if it was not computed.
  public subscript(name: String) -> Double? {
    guard let column = values[name.lowercased()] else { return nil }
    return Statistics.mean(column)
  }

  /// One value per user (the mean of that user's cases), users ascending. With leave-one-out
  /// each user has one case; MFN4Rec's split has several. The unit of the paired t-test.
  public func perUser(_ name: String) -> (users: [Int], values: [Double])? {
    guard let column = values[name.lowercased()] else { return nil }
    var sums: [Int: (Double, Int)] = [:]
    for (user, value) in zip(users, column) {
      let current = sums[user] ?? (0, 0)
      sums[user] = (current.0 + value, current.1 + 1)
    }
    let ordered = sums.sorted { $0.key < $1.key }
    return (ordered.map(\.key), ordered.map { $0.value.0 / Double($0.value.1) })
  }

  /// Paired t-test of this report against `other` on metric `name`, pairing users present in
  /// both (MIN §5.1.2: differences significant when p < 0.05).
  public func pairedTTest(against other: EvaluationReport, metric name: String) throws -> TTestResult {
    guard let mine = perUser(name), let theirs = other.perUser(name) else {
      throw EvaluationError(message: "metric '\(name)' is missing from one of the reports")
    }
    let lookup = Dictionary(uniqueKeysWithValues: zip(theirs.users, theirs.values))
    var a: [Double] = []
    var b: [Double] = []
    for (user, value) in zip(mine.users, mine.values) {
      if let paired = lookup[user] {
        a.append(value)
        b.append(paired)
      }
    }
    return try Statistics.pairedTTest(a, b)
  }

  /// Metric means in a two-column table, then the protocol:
  /// ```
  /// hr@10      0.1234
  /// ndcg@10    0.0617
  /// protocol: test split of leave-one-out; full ranking over all items, history excluded; ...
  /// ```
  public var description: String {
    let width = (metricNames.map(\.count).max() ?? 0) + 2
    var lines = metricNames.map { name in
      name.padding(toLength: width, withPad: " ", startingAt: 0) + String(format: "%.4f", self[name] ?? .nan)
    }
    lines.append("protocol: \(evaluationProtocol) (\(caseCount) cases)")
    return lines.joined(separator: "\n")
  }
}
