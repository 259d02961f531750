import Testing

@testable import LoomRec

@Suite struct TrainingInstanceTests {
  let sequences: [[Int32]] = [[1, 2, 3, 4, 5], [6], [7, 8]]

  @Test func prefixModeHasOneRowPerTarget() throws {
    let instances = try TrainingInstances(sequences: sequences, mode: .prefix, maxlen: 3)
    #expect(instances.rows.count == 5 && instances.targetCount == 5)
    let batch = instances.batch(0..<5)
    #expect(
      batch.inputs == [
        0, 0, 1,
        0, 1, 2,
        1, 2, 3,
        2, 3, 4,
        0, 0, 7,
      ])
    #expect(
      batch.targets == [
        0, 0, 2,
        0, 0, 3,
        0, 0, 4,
        0, 0, 5,
        0, 0, 8,
      ])
    #expect(batch.users == [0, 0, 0, 0, 2])
    #expect(batch.lengths == [1, 2, 3, 3, 1])
  }

  @Test func rightPaddingStartsAtColumnZero() throws {
    let instances = try TrainingInstances(sequences: sequences, mode: .prefix, maxlen: 3)
    let batch = instances.batch([1, 4], padding: .right)
    #expect(batch.inputs == [1, 2, 0, 7, 0, 0])
    #expect(batch.targets == [0, 3, 0, 8, 0, 0])
  }

  @Test func windowsCoverEveryTargetOnceFromTheEnd() throws {
    let instances = try TrainingInstances(sequences: sequences, mode: .windows, maxlen: 3)
    #expect(instances.targetCount == 5)
    let batch = instances.batch(instances.rows.indices)
    #expect(batch.inputs == [2, 3, 4, 0, 0, 1, 0, 0, 7])
    #expect(batch.targets == [3, 4, 5, 0, 0, 2, 0, 0, 8])
  }

  @Test func lastModeKeepsTheLastWindow() throws {
    let instances = try TrainingInstances(sequences: sequences, mode: .last, maxlen: 3)
    #expect(instances.rows.count == 2 && instances.targetCount == 4)
    let batch = instances.batch(instances.rows.indices)
    #expect(batch.inputs == [2, 3, 4, 0, 0, 7])
    #expect(batch.targets == [3, 4, 5, 0, 0, 8])
  }

  @Test func foldedPrefixesKeepEveryTargetInFewerRows() throws {
    let instances = try TrainingInstances(sequences: sequences, mode: .prefix, maxlen: 3, foldPrefixes: true)
    #expect(instances.rows.count == 3 && instances.targetCount == 5)
    let batch = instances.batch(instances.rows.indices, padding: .right)
    #expect(batch.inputs == [1, 2, 3, 2, 3, 4, 7, 0, 0])
    #expect(batch.targets == [2, 3, 4, 0, 0, 5, 8, 0, 0])
    #expect(instances.description == "prefix (folded) instances, maxlen 3: 3 rows, 5 targets")
  }

  @Test func shuffledBatchesVisitEveryRowOnceDeterministically() throws {
    var many: [[Int32]] = []
    for u in 0..<30 {
      let length = u % 7 + 2
      many.append((0..<length).map { p -> Int32 in Int32((p + u) % 40 + 1) })
    }
    let instances = try TrainingInstances(sequences: many, mode: .prefix, maxlen: 4)
    let first = Array(instances.batches(size: 16, seed: 5))
    let again = Array(instances.batches(size: 16, seed: 5))
    let other = Array(instances.batches(size: 16, seed: 6))
    #expect(first == again)
    #expect(first != other)
    #expect(instances.rows.count == 115)
    #expect(first.map(\.size) == [16, 16, 16, 16, 16, 16, 16, 3])
    #expect(instances.batches(size: 16, seed: 5).batchCount == 8)
    // Every (user, last input, target) of prefix mode appears exactly once.
    func keys(_ batches: [Batch]) -> [String] {
      batches.flatMap { b in
        (0..<b.size).map { r in "\(b.users[r]):\(b.inputs[r * 4 + 3]):\(b.targets[r * 4 + 3])" }
      }.sorted()
    }
    #expect(keys(first) == keys(Array(instances.batches(size: 1000, seed: nil))))
    #expect(keys(first).count == instances.rows.count)
  }

  @Test func maxlenMustBePositive() {
    #expect(dataError { _ = try TrainingInstances(sequences: [[1, 2]], mode: .last, maxlen: 0) }?.kind == .badOption)
  }
}

/// Length-bucketed batches: every row once, each batch as wide as the bucket of its longest row.
struct LengthBucketTests {
  @Test func everyRowOnceInBatchesCutToTheirBucket() throws {
    var random = DataRandom(seed: 11)
    let sequences: [[Int32]] = (0..<300).map { _ in (0..<(3 + random.below(60))).map { _ in Int32(1 + random.below(40)) } }
    let instances = try TrainingInstances(sequences: sequences, mode: .last, maxlen: 50)
    #expect(LengthBuckets.widths(maxlen: instances.maxlen) == [7, 13, 25, 50])
    let batches = Array(instances.batches(size: 8, seed: 3, byLength: true))
    #expect(batches.map(\.users.count).reduce(0, +) == instances.rows.count)
    #expect(Set(batches.flatMap(\.users)).count == instances.rows.count)
    var narrow = 0
    for b in batches {
      let longest = Int(b.lengths.max()!)
      let bucket = try #require(LengthBuckets.widths(maxlen: instances.maxlen).first { $0 >= longest })
      #expect(b.maxlen == bucket)
      if b.maxlen < 50 { narrow += 1 }
      // Left padding: each row's items end at the last column.
      for (r, length) in b.lengths.enumerated() {
        let row = b.inputs[(r * b.maxlen)..<((r + 1) * b.maxlen)]
        #expect(row.prefix(b.maxlen - Int(length)).allSatisfy { $0 == 0 })
        #expect(row.suffix(Int(length)).allSatisfy { $0 != 0 })
      }
    }
    // Lengths 3...62 cut to 50: sorting inside pools leaves many batches narrower than maxlen.
    #expect(narrow >= batches.count / 3, "\(narrow) of \(batches.count) batches narrower than maxlen")
    // The same seed, the same batches; without byLength every batch is maxlen wide.
    #expect(Array(instances.batches(size: 8, seed: 3, byLength: true)) == batches)
    #expect(instances.batches(size: 8, seed: 3).allSatisfy { $0.maxlen == 50 })
  }
}
