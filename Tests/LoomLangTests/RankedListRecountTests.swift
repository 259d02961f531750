import Foundation
import Testing

@testable import LoomLang

/// `export(model, data, path, split: ...)` writes the ranked lists `evaluate` scored: HR, NDCG
/// and MRR recounted from the file by a few independent lines equal the report's, to the last
/// digit, for full and sampled ranking.
@Suite(.serialized) struct RankedListRecountTests {
  /// Per-case rank of the hit (nil when no hit is listed), read from the CSV by splitting lines:
  /// the built-in data's ids hold no commas.
  func hitRanks(_ path: String) throws -> [Int?] {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst()
    var ranks: [Int: Int?] = [:]
    for line in lines {
      let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      let (caseNumber, rank, hit) = (Int(f[0])!, Int(f[3])!, f[6] == "1")
      if ranks[caseNumber] == nil { ranks[caseNumber] = .some(nil) }
      if hit, ranks[caseNumber]! == nil { ranks[caseNumber] = rank }
    }
    return (1...ranks.count).map { ranks[$0]! }
  }

  func recount(_ ranks: [Int?], k: Int) -> (hr: Double, ndcg: Double, mrr: Double) {
    var (hr, ndcg, mrr) = (0.0, 0.0, 0.0)
    for case let rank? in ranks where rank <= k {
      hr += 1
      ndcg += 1 / log2(Double(rank) + 1)
      mrr += 1 / Double(rank)
    }
    let n = Double(ranks.count)
    return (hr / n, ndcg / n, mrr / n)
  }

  func numbers(_ value: Value?) -> [Double] {
    guard case .list(let items)? = value else { return [] }
    return items.compactMap { if case .number(let x) = $0 { return x } else { return nil } }
  }

  @Test(arguments: [("", 0), (", sampled: 100, seed: 5", 100)])
  func theExportRecountsToTheReport(options: String, sampled: Int) throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lists-\(UUID().uuidString).csv").path
    let interpreter = Interpreter(builtins: .standard(StandardEnvironment(terminal: false)), output: { _ in })
    let result = try interpreter.run(
      SourceFile(
        name: "recount.loom",
        text: """
          data = synthetic(users: 300, items: 400, seed: 3)
          m = SASRec(data, dim: 16)
          fit(m, data, epochs: 3, validate: false, threads: 1)
          r = evaluate(m, data, k: [5, 20], metrics: ["hr", "ndcg", "mrr"]\(options))
          export(m, data, "\(path)", k: 20, split: "test"\(options))
          [r["hr@5"], r["ndcg@5"], r["mrr@5"], r["hr@20"], r["ndcg@20"], r["mrr@20"]]
          """))
    let report = numbers(result)
    try #require(report.count == 6)
    let ranks = try hitRanks(path)
    #expect(ranks.count == 300)  // one test case per user
    let at5 = recount(ranks, k: 5)
    let at20 = recount(ranks, k: 20)
    #expect([at5.hr, at5.ndcg, at5.mrr, at20.hr, at20.ndcg, at20.mrr] == report)
    #expect(report[3] > 0.05, "the model should hit some targets: \(report)")
    if sampled > 0 {
      // Sampled lists hold the target and its negatives only: 101 candidates, 20 listed.
      let rows = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count - 1
      #expect(rows == 300 * 20)
    }
  }

  @Test func sampledOptionsNeedASplit() {
    let run = runLoom(
      """
      data = synthetic(users: 50, items: 60)
      m = SASRec(data, dim: 8)
      export(m, data, "/tmp/never-written.csv", sampled: 10)
      """, builtins: .standard(StandardEnvironment(terminal: false)))
    #expect(run.diagnostics.first?.message.contains("only with split:") == true)
  }

  /// Real data: the Amazon set's own split with the item ids of its files, and MovieLens-100k
  /// split leave-one-out (../shared/data and data/ml-100k; each skipped when absent).
  @Test(arguments: [
    (
      "load(\"\(amazonMMPath)\", features: {visual: \"Scientific.feat3CLS\", text: \"Scientific.feat1CLS\"})",
      amazonMMPath + "/Scientific.test.inter", 2928
    ),
    ("load(\"\(movieLensRecountPath)\")", movieLensRecountPath + "/ml-100k.inter", 943),
  ])
  func theExportRecountsOnRealData(load: String, requiredFile: String, cases: Int) throws {
    guard FileManager.default.fileExists(atPath: requiredFile) else {
      print("note: skipping the recount on \(requiredFile): it is missing (../shared/data, or bash Examples/get-ml100k.sh)")
      return
    }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lists-\(UUID().uuidString).csv").path
    let interpreter = Interpreter(builtins: .standard(StandardEnvironment(terminal: false)), output: { _ in })
    let result = try interpreter.run(
      SourceFile(
        name: "recount.loom",
        text: """
          data = \(load)
          m = SASRec(data, dim: 16)
          fit(m, data, epochs: 2, validate: false, threads: 1)
          r = evaluate(m, data, k: [10], metrics: ["hr", "ndcg", "mrr"])
          export(m, data, "\(path)", k: 10, split: "test")
          [r["hr@10"], r["ndcg@10"], r["mrr@10"]]
          """))
    let report = numbers(result)
    let ranks = try hitRanks(path)
    #expect(ranks.count == cases)
    let at10 = recount(ranks, k: 10)
    #expect([at10.hr, at10.ndcg, at10.mrr] == report)
  }
}

let amazonMMPath: String = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("shared/data/amazon-scientific-mm").path

let movieLensRecountPath: String = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("data/ml-100k").path
