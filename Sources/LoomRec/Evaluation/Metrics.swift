import Foundation

/// Top-K ranking metrics as pure functions of one case.
///
/// Input: `ranks`, the 1-based ranks of the case's distinct targets T among the candidates
/// (any order; ties already counted against the targets), and the cutoff K. Let
/// H = { r ∈ ranks : r ≤ K } be the hits. Each function returns the case's value; reports
/// average it over cases. With one target, Recall = HR and MAP = MRR.
public enum Metrics {
  public typealias Function = @Sendable (_ ranks: [Int], _ k: Int) -> Double

  /// HR@K (hit ratio) = 1 if |H| > 0 else 0.
  public static func hitRatio(ranks: [Int], k: Int) -> Double {
    ranks.contains { $0 <= k } ? 1 : 0
  }

  /// NDCG@K = DCG / IDCG with DCG = Σ_{r ∈ H} 1 / log2(r + 1) and
  /// IDCG = Σ_{i=1}^{min(|T|, K)} 1 / log2(i + 1) (binary relevance).
  public static func ndcg(ranks: [Int], k: Int) -> Double {
    let dcg = ranks.reduce(0.0) { $1 <= k ? $0 + 1 / log2(Double($1) + 1) : $0 }
    if dcg == 0 { return 0 }
    let ideal = (0..<min(ranks.count, k)).reduce(0.0) { $0 + 1 / log2(Double($1) + 2) }
    return dcg / ideal
  }

  /// MRR@K = 1 / min(H), or 0 when H is empty.
  public static func mrr(ranks: [Int], k: Int) -> Double {
    guard let best = ranks.min(), best <= k else { return 0 }
    return 1 / Double(best)
  }

  /// Recall@K = |H| / |T|.
  public static func recall(ranks: [Int], k: Int) -> Double {
    ranks.isEmpty ? 0 : Double(ranks.filter { $0 <= k }.count) / Double(ranks.count)
  }

  /// Precision@K = |H| / K.
  public static func precision(ranks: [Int], k: Int) -> Double {
    Double(ranks.filter { $0 <= k }.count) / Double(k)
  }

  /// MAP@K (average precision at K, averaged over cases as in MFN4Rec §4.2):
  /// AP@K = (1 / min(|T|, K)) Σ_{j=1}^{|H|} j / h_j with hits h_1 < h_2 < … sorted,
  /// i.e. the precision at each hit's position, averaged over the best possible number of hits.
  public static func averagePrecision(ranks: [Int], k: Int) -> Double {
    let hits = ranks.filter { $0 <= k }.sorted()
    if hits.isEmpty { return 0 }
    let sum = hits.enumerated().reduce(0.0) { $0 + Double($1.offset + 1) / Double($1.element) }
    return sum / Double(min(ranks.count, k))
  }

  /// Every metric, in the order reports list them (`evaluate`'s default).
  public static let names = ["hr", "ndcg", "mrr", "recall", "precision", "map"]

  /// The metrics by name; "ndcg@10" looks up "ndcg" here.
  public static let registry: [String: Function] = [
    "hr": { hitRatio(ranks: $0, k: $1) },
    "ndcg": { ndcg(ranks: $0, k: $1) },
    "mrr": { mrr(ranks: $0, k: $1) },
    "recall": { recall(ranks: $0, k: $1) },
    "precision": { precision(ranks: $0, k: $1) },
    "map": { averagePrecision(ranks: $0, k: $1) },
  ]
}

/// A metric at a cutoff, written "ndcg@10" (name from `Metrics.registry`, K ≥ 1). Two are equal
/// when their names and cutoffs are.
public struct MetricName: Hashable, Sendable, CustomStringConvertible {
  public let name: String
  public let k: Int
  /// `Metrics.registry[name]`, looked up once.
  private let function: Metrics.Function

  /// nil when `name` is not in `Metrics.registry`.
  init?(name: String, k: Int) {
    guard let function = Metrics.registry[name] else { return nil }
    self.name = name
    self.k = k
    self.function = function
  }

  public init(parsing text: String) throws {
    let parts = text.lowercased().split(separator: "@", omittingEmptySubsequences: false)
    let known = Metrics.registry.keys.sorted().joined(separator: ", ")
    guard parts.count == 2, let function = Metrics.registry[String(parts[0])] else {
      throw DataError(
        .badOption, file: "metric", "unknown metric '\(text)'",
        help: "write NAME@K with NAME one of \(known), e.g. ndcg@10")
    }
    guard let k = Int(parts[1]), k >= 1 else {
      throw DataError(.badOption, file: "metric", "metric '\(text)' needs a cutoff K >= 1 after '@'")
    }
    self.name = String(parts[0])
    self.k = k
    self.function = function
  }

  public static func == (a: MetricName, b: MetricName) -> Bool { a.name == b.name && a.k == b.k }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(name)
    hasher.combine(k)
  }

  public var description: String { "\(name)@\(k)" }

  public func value(ranks: [Int]) -> Double { function(ranks, k) }
}
