import Testing

@testable import LoomRec

/// Length-bucketed evaluation: cases scored shortest history first, each batch cut to the
/// bucket width of its longest history, reported in case order with unchanged values.
@Suite struct EvaluationBucketTests {
  @Test func batchesAreCutToTheBucketOfTheirLongestRow() {
    #expect(LengthBuckets.widths(maxlen: 8) == [1, 2, 4, 8])
    #expect(LengthBuckets.widths(maxlen: 50) == [7, 13, 25, 50])
    let inputs: [Int32] = [0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 4, 5]
    let (cut, width) = LengthBuckets.trimmed(inputs, batch: 2, maxlen: 8)
    #expect(width == 4)
    #expect(cut == [0, 1, 2, 3, 0, 0, 4, 5])
    let full: [Int32] = [1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 9]
    #expect(LengthBuckets.trimmed(full, batch: 2, maxlen: 8) == (full, 8))
    #expect(LengthBuckets.trimmed([Int32](repeating: 0, count: 16), batch: 2, maxlen: 8).width == 1)
  }

  /// Six cases of history lengths 5, 1, 6, 2, 4, 3, in batches of two: bucketed, they are
  /// scored as (1, 2), (3, 4), (5, 6) at widths 2, 4 and 8.
  @Test func casesAreScoredByLengthAndReportedInCaseOrder() throws {
    let lengths = [5, 1, 6, 2, 4, 3]
    var sequences: [[Int32]] = []
    var cases: [EvaluationCase] = []
    for (user, n) in lengths.enumerated() {
      let history = (0..<n).map { Int32(($0 * 4 + user) % 9 + 1) }
      let target = Int32((n * 4 + user) % 9 + 1)
      sequences.append(history + [target])
      cases.append(EvaluationCase(user: user, history: ArraySlice(history), targets: [target]))
    }
    let split = Split(
      kind: .leaveOneOut, itemCount: 9, sequences: sequences, trainEnd: lengths, validEnd: lengths,
      valid: [], test: cases)
    /// Scores that depend only on each row's real items, not on its padding.
    func score(_ users: [Int], _ inputs: [Int32]) -> [Float] {
      let width = inputs.count / users.count
      return (0..<users.count).flatMap { r -> [Float] in
        let sum = inputs[(r * width)..<((r + 1) * width)].reduce(0) { $0 + Int($1) }
        return (0...9).map { Float(($0 * 7 + sum) % 10) }
      }
    }
    let setup = EvaluationProtocol(cutoffs: [3], excludeHistory: true, maxlen: 8)
    let plain = try Evaluator.evaluate(split: split, protocol: setup, metrics: ["ndcg", "hr"], batchSize: 2) { score($0, $1) }
    var widths: [Int] = []
    var order: [Int] = []
    let bucketed = try Evaluator.evaluate(split: split, protocol: setup, metrics: ["ndcg", "hr"], batchSize: 2, byLength: true) {
      users, inputs in
      let (cut, width) = LengthBuckets.trimmed(inputs, batch: users.count, maxlen: 8)
      widths.append(width)
      order += users
      return score(users, cut)
    }
    #expect(order == [1, 3, 5, 4, 0, 2])
    #expect(widths == [2, 4, 8])
    #expect(bucketed.users == [0, 1, 2, 3, 4, 5])
    #expect(bucketed.users == plain.users)
    for m in ["ndcg@3", "hr@3"] {
      #expect(bucketed.perUser(m)?.values == plain.perUser(m)?.values, "\(m)")
    }
    #expect(Set(plain.perUser("ndcg@3")!.values).count > 1, "the values tell the cases apart")
  }
}
