import Testing

@testable import LoomRec

@Suite struct SplitTests {
  @Test func leaveOneOutHoldsOutTheLastTwo() {
    let data = dataset([[1, 2, 3, 4], [5, 6], [7]], itemCount: 7)
    let split = Split.leaveOneOut(data)
    #expect(split.trainEnd == [2, 1, 1])
    #expect(split.validEnd == [3, 1, 1])
    #expect(split.valid == [EvaluationCase(user: 0, history: [1, 2], targets: [3])])
    #expect(split.test.map(\.user) == [0, 1])
    #expect(Array(split.test[0].history) == [1, 2, 3] && Array(split.test[0].targets) == [4])
    #expect(Array(split.test[1].history) == [5] && Array(split.test[1].targets) == [6])
    #expect(split.trainingSequences() == [[1, 2], [5], [7]])
    #expect(split.trainingSequences(includingValidation: true) == [[1, 2, 3], [5], [7]])
  }

  @Test func chronologicalSplitPredictsEachHeldOutPosition() throws {
    let data = dataset([Array(1...10), [1, 2, 3, 4, 5]], itemCount: 10)
    let split = try Split.chronological(data)
    #expect(split.trainEnd == [6, 3])
    #expect(split.validEnd == [8, 4])
    #expect(split.valid.map { Array($0.targets) } == [[7], [8], [4]])
    #expect(split.valid.map(\.history.count) == [6, 7, 3])
    #expect(split.test.map { Array($0.targets) } == [[9], [10], [5]])
    #expect(split.test.map(\.history.count) == [8, 9, 4])
  }

  @Test func chronologicalSplitCanHoldOutAllTargetsTogether() throws {
    let data = dataset([Array(1...10)], itemCount: 10)
    let split = try Split.chronological(data, targets: .together)
    #expect(split.valid.count == 1 && Array(split.valid[0].targets) == [7, 8])
    #expect(split.test.count == 1 && Array(split.test[0].targets) == [9, 10])
    #expect(Array(split.test[0].history) == Array(1...8))
  }

  @Test func badFractionsAreRejected() {
    let data = dataset([[1, 2]], itemCount: 2)
    #expect(dataError { _ = try Split.chronological(data, train: 0.8, valid: 0.3) }?.kind == .badOption)
  }

  /// Users with distinct items, so an item id identifies its position.
  func uniqueItemData() -> Dataset {
    var random = DataRandom(seed: 21)
    let sequences: [[Int32]] = (0..<40).map { user in
      var items = Array(Int32(1)...Int32(300))
      random.shuffle(&items)
      return Array(items.prefix(3 + user * 2))
    }
    return dataset(sequences, itemCount: 300)
  }

  @Test func noHeldOutTargetReachesTraining() throws {
    let data = uniqueItemData()
    for split in [Split.leaveOneOut(data), try Split.chronological(data)] {
      var heldOut = [Set<Int32>](repeating: [], count: data.userCount)
      for item in split.valid + split.test { heldOut[item.user].formUnion(item.targets) }
      #expect(heldOut.allSatisfy { !$0.isEmpty })
      for mode in InstanceMode.allCases {
        for fold in [false, true] {
          let instances = try TrainingInstances(split: split, mode: mode, maxlen: 7, foldPrefixes: fold)
          for batch in instances.batches(size: 16, seed: 1, padding: fold ? .right : .left) {
            for (row, user) in batch.users.enumerated() {
              let seen = batch.inputs[(row * 7)..<((row + 1) * 7)] + batch.targets[(row * 7)..<((row + 1) * 7)]
              #expect(seen.allSatisfy { !heldOut[user].contains($0) })
            }
          }
        }
      }
      // Validation items become inputs only when retraining for the test.
      let retrain = try TrainingInstances(split: split, mode: .prefix, maxlen: 7, includingValidation: true)
      var testTargets = [Set<Int32>](repeating: [], count: data.userCount)
      for item in split.test { testTargets[item.user].formUnion(item.targets) }
      for batch in retrain.batches(size: 64, seed: nil) {
        for (row, user) in batch.users.enumerated() {
          let seen = batch.inputs[(row * 7)..<((row + 1) * 7)] + batch.targets[(row * 7)..<((row + 1) * 7)]
          #expect(seen.allSatisfy { !testTargets[user].contains($0) })
        }
      }
    }
  }

  @Test func evaluationHistoriesEndBeforeTheirTargets() throws {
    let data = uniqueItemData()
    for split in [Split.leaveOneOut(data), try Split.chronological(data), try Split.chronological(data, targets: .together)] {
      for item in split.valid + split.test {
        #expect(Set(item.history).isDisjoint(with: item.targets))
        #expect(item.history.endIndex == item.targets.startIndex)
      }
    }
  }
}
