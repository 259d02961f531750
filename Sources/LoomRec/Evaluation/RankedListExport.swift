import Foundation
import LoomFiles

/// Writes, for every case of an evaluation, the ranked list the evaluator scored, so that
/// anyone can recount its metrics: `export(model, data, path, split: "test")`.
///
/// CSV with the header `case,user,targets,rank,item,score,hit`: per case (1-based, in the
/// report's order) its first `k` candidates in the evaluator's order — same candidates (the
/// history left out, or the sampled negatives with the same seed), ties counted against the
/// target — with original user and item ids; `targets` lists the case's target ids separated by
/// spaces, `hit` is 1 where the item is a target. For a case with one target, HR@K is whether a
/// hit has rank ≤ K, NDCG@K = 1 / log2(rank + 1) and MRR@K = 1 / rank at that row, 0 without
/// one; their means over cases equal the report's to the last digit (Tests/LoomLangTests).
/// Written atomically.
///
/// - Returns: the rows written and the report of the same evaluation.
@discardableResult
public func exportRankedLists(
  data: Dataset, split: Split, protocol setup: EvaluationProtocol, k: Int, to path: String,
  metrics: [String] = ["hr", "ndcg", "mrr"], score: Scorer
) throws -> (rows: Int, report: EvaluationReport) {
  guard k > 0 else { throw RecommendationError(.badArgument, "k must be positive, got \(k)", help: "ask for k: 20") }
  var lines: [String] = []
  var rows = 0
  let report = try Evaluator.evaluate(
    split: split, protocol: setup, metrics: metrics,
    rankedLists: (
      length: k,
      receive: { index, heldOut, list in
        let user = csvField(data.userIDs[heldOut.user])
        let targets = csvField(heldOut.targets.map { data.itemIDs[Int($0)] }.joined(separator: " "))
        for (rank, candidate) in list.enumerated() {
          lines.append(
            "\(index + 1),\(user),\(targets),\(rank + 1),\(csvField(data.itemIDs[Int(candidate.item)])),\(candidate.score),\(candidate.isTarget ? 1 : 0)"
          )
          rows += 1
        }
      }
    ),
    score: score)
  // Cases arrive in scoring order; the file lists them in case order.
  let ordered = lines.enumerated().sorted { a, b in
    let (ca, cb) = (Int(a.element.prefix { $0 != "," }) ?? 0, Int(b.element.prefix { $0 != "," }) ?? 0)
    return ca != cb ? ca < cb : a.offset < b.offset
  }.map(\.element)
  let text = "case,user,targets,rank,item,score,hit\n" + ordered.map { $0 + "\n" }.joined()
  do {
    try writeAtomically(Array(text.utf8), to: path)
  } catch let failure as AtomicWriteFailure {
    throw RecommendationError(
      .cannotWrite, "cannot write '\(path)': \(failure.reason)", help: "choose a path in an existing, writable directory")
  }
  return (rows, report)
}
