import Foundation
import Testing

@testable import LoomRec

@Suite struct EvaluatorTests {
  /// Five items; one user whose test case has history [1, 2] and target 3.
  func oneCase(history: [Int32] = [1, 2], targets: [Int32] = [3], itemCount: Int = 5) -> Split {
    Split(
      kind: .leaveOneOut, itemCount: itemCount, sequences: [history + targets], trainEnd: [history.count],
      validEnd: [history.count], valid: [],
      test: [EvaluationCase(user: 0, history: ArraySlice(history), targets: ArraySlice(targets))])
  }

  func ranks(_ split: Split, _ row: [Float], exclude: Bool = true, k: Int = 5) throws -> Double {
    let setup = EvaluationProtocol(cutoffs: [k], excludeHistory: exclude, maxlen: 4)
    let report = try Evaluator.evaluate(split: split, protocol: setup, metrics: ["mrr"]) { users, _ in
      users.flatMap { _ in row }
    }
    return 1 / report["mrr@\(k)"]!
  }

  @Test func tiesCountAgainstTheTarget() throws {
    let row: [Float] = [99, 0.9, 0.8, 0.5, 0.5, 0.1]
    // History excluded: candidates 3 (target), 4 (tie), 5 -> rank 2.
    #expect(try ranks(oneCase(), row) == 2)
    // History kept: 1 and 2 score higher, 4 ties -> rank 4. Column 0 never counts.
    #expect(try ranks(oneCase(), row, exclude: false) == 4)
  }

  @Test func aConstantScorerGetsTheWorstRank() throws {
    let row = [Float](repeating: 0, count: 6)
    #expect(try ranks(oneCase(), row) == 3)
    #expect(try ranks(oneCase(), row, exclude: false) == 5)
  }

  @Test func theTargetIsNeverExcludedEvenWhenInTheHistory() throws {
    let row: [Float] = [0, 0.2, 0.1, 0.3, 0.9, 0.25]
    // History [3, 1, 3]: only item 1 leaves; 4 beats the target.
    #expect(try ranks(oneCase(history: [3, 1, 3], targets: [3]), row) == 2)
  }

  @Test func nanScoresRankLast() throws {
    let row: [Float] = [0, 0.1, 0.2, .nan, 0.3, 0.4]
    #expect(try ranks(oneCase(), row) == 3)
  }

  @Test func severalTargetsAreRankedWithTiesBrokenByListOrder() throws {
    var counter = RankCounter(itemCount: 5)
    let row: [Float] = [0, 0.1, 0.7, 0.3, 0.7, 0.2]
    let ranks = row.withUnsafeBufferPointer { counter.fullRanks($0, targets: [2, 4, 2], history: []) }
    #expect(ranks == [1, 2])
    let report = try Evaluator.evaluate(
      split: oneCase(history: [1], targets: [2, 4, 5]), protocol: EvaluationProtocol(cutoffs: [3]),
      metrics: ["recall", "map", "precision@1"]
    ) { users, _ in users.flatMap { _ in row } }
    // Candidates without history item 1: 2 (0.7), 4 (0.7), 3 (0.3), 5 (0.2) -> ranks 1, 2, 4.
    #expect(close(report["recall@3"]!, 2.0 / 3))
    #expect(close(report["map@3"]!, (1.0 + 1.0) / 3))
    #expect(report["precision@1"] == 1)
  }

  @Test func sampledRankingUsesOnlyUntouchedItems() throws {
    // 10 items; the user touched 1, 2, 3 (target 3). Scores rise with the id, so the target
    // is beaten exactly by the sampled items above 3.
    let split = oneCase(history: [1, 2], targets: [3], itemCount: 10)
    let row = (0...10).map { Float($0) }
    for n in [3, 7, 100] {
      let setup = EvaluationProtocol(ranking: .sampled(n: n, sampler: .uniform), cutoffs: [20], seed: 5)
      let report = try Evaluator.evaluate(split: split, protocol: setup, metrics: ["mrr"]) { users, _ in
        users.flatMap { _ in row }
      }
      // All sampled items are from 4...10, all above the target.
      #expect(close(1 / report["mrr@20"]!, Double(min(n, 7) + 1)))
    }
  }

  @Test func scorerSeesLeftPaddedLastMaxlenItems() throws {
    let split = Split(
      kind: .leaveOneOut, itemCount: 6, sequences: [[1, 2, 3, 4, 5, 6], [2, 3]], trainEnd: [4, 1],
      validEnd: [5, 1], valid: [],
      test: [
        EvaluationCase(user: 0, history: [1, 2, 3, 4, 5], targets: [6]),
        EvaluationCase(user: 1, history: [2], targets: [3]),
      ])
    var seen: [Int32] = []
    var seenUsers: [Int] = []
    _ = try Evaluator.evaluate(split: split, protocol: EvaluationProtocol(maxlen: 3), metrics: ["hr"]) {
      users, inputs in
      seen = inputs
      seenUsers = users
      return [Float](repeating: 0, count: users.count * 7)
    }
    #expect(seenUsers == [0, 1])
    #expect(seen == [3, 4, 5, 0, 0, 2])
    _ = try Evaluator.evaluate(
      split: split, protocol: EvaluationProtocol(maxlen: 3), metrics: ["hr"], padding: .right
    ) { users, inputs in
      seen = inputs
      return [Float](repeating: 0, count: users.count * 7)
    }
    #expect(seen == [3, 4, 5, 2, 0, 0])
  }

  @Test func aScorerWithTheWrongShapeIsAnError() {
    #expect(throws: EvaluationError.self) {
      _ = try Evaluator.evaluate(split: oneCase(), protocol: EvaluationProtocol()) { _, _ in [1, 2, 3] }
    }
  }

  @Test func reportsPrintTheirProtocolAndKeepPerUserValues() throws {
    let split = Split.leaveOneOut(dataset([[1, 2, 3], [2, 3, 4], [4, 1, 2]], itemCount: 4))
    // Score = item id: user 0 target 3 (history 1, 2) -> candidates 3, 4 -> rank 2.
    // User 1 target 4 -> rank 1. User 2 target 2 (history 4, 1) -> candidates 2, 3 -> rank 2.
    let setup = EvaluationProtocol(cutoffs: [1, 2], maxlen: 50, training: "prefix instances, maxlen 50")
    let report = try Evaluator.evaluate(split: split, protocol: setup, metrics: ["hr", "ndcg@2"]) { users, _ in
      users.flatMap { _ in (0...4).map(Float.init) }
    }
    #expect(report.metricNames == ["hr@1", "hr@2", "ndcg@2"])
    #expect(report.values["hr@1"] == [0, 1, 0])
    #expect(close(report["hr@1"]!, 1.0 / 3))
    #expect(close(report["ndcg@2"]!, (2 / log2(3.0) + 1) / 3))
    #expect(report.perUser("hr@1")!.values == [0, 1, 0])
    #expect(
      report.description == """
        hr@1    0.3333
        hr@2    1.0000
        ndcg@2  0.7540
        protocol: test split of leave-one-out; full ranking over all items, history excluded; \
        K = 1, 2; maxlen 50; trained on prefix instances, maxlen 50 (3 cases)
        """)
  }

  @Test func pairedTTestPairsUsers() throws {
    let split = Split.leaveOneOut(dataset((0..<6).map { u in [1, 2, Int32(3 + u % 3)] }, itemCount: 5))
    let setup = EvaluationProtocol(cutoffs: [1])
    let good = try Evaluator.evaluate(split: split, protocol: setup, metrics: ["hr"]) { users, _ in
      users.flatMap { u in (0...5).map { Float($0 == 3 + u % 3 ? 1 : 0) } }
    }
    let bad = try Evaluator.evaluate(split: split, protocol: setup, metrics: ["hr"]) { users, _ in
      users.flatMap { u in (0...5).map { Float($0 == 3 + u % 3 && u < 2 ? 1 : 0) } }
    }
    let result = try good.pairedTTest(against: bad, metric: "hr@1")
    #expect(result.degreesOfFreedom == 5)
    #expect(close(result.meanDifference, 4.0 / 6))
  }

  @Test func protocolDescriptionForSampledRanking() {
    let setup = EvaluationProtocol(
      split: .chronological, part: .valid, ranking: .sampled(n: 1000, sampler: .popularity), cutoffs: [20],
      seed: 3)
    #expect(
      setup.description
        == "valid split of 60/20/20; sampled ranking against 1000 popularity negatives (seed 3); K = 20; maxlen 50")
  }
}

@Suite struct SampledEvaluationTests {
  @Test func sampledReportsAreReproducibleForASeed() throws {
    let data = try Dataset.synthetic(users: 80, items: 200, seed: 2)
    let split = Split.leaveOneOut(data)
    let counts = data.itemFrequencies().map(Float.init)
    func run(_ seed: UInt64) throws -> [Double] {
      let setup = EvaluationProtocol(ranking: .sampled(n: 50, sampler: .popularity), cutoffs: [10], seed: seed)
      return try Evaluator.evaluate(split: split, protocol: setup, metrics: ["ndcg"]) { users, _ in
        users.flatMap { _ in counts }
      }.values["ndcg@10"]!
    }
    #expect(try run(1) == run(1))
    #expect(try run(1) != run(2))
  }
}
