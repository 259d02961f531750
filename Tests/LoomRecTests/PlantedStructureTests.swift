import Testing

@testable import LoomRec

/// The synthetic data set rewards the ideas the seeds test: the current item predicts the next
/// (sequence beats popularity), and features identify rarely seen items (multimodal beats IDs
/// on the long tail). Shown with simple scorers through the real evaluator.
@Suite struct PlantedStructureTests {
  static let generated: SyntheticData = try! Dataset.generateSynthetic(SyntheticConfig(users: 1000, items: 1500, seed: 11))

  var data: Dataset { Self.generated.dataset }

  func evaluate(_ split: Split, cases: [EvaluationCase]? = nil, k: Int, _ score: @escaping (Int32) -> [Float]) throws -> Double {
    var split = split
    if let cases { split.test = cases }
    let report = try Evaluator.evaluate(split: split, protocol: EvaluationProtocol(cutoffs: [k], maxlen: 1), metrics: ["hr"]) {
      _, inputs in inputs.flatMap { score($0) }
    }
    return report["hr@\(k)"]!
  }

  @Test func sequenceAwareScoringBeatsPopularity() throws {
    let split = Split.leaveOneOut(data)
    let counts = try TrainingInstances(split: split, mode: .last, maxlen: 1).itemCounts(itemCount: data.itemCount)
    let topics = Self.generated.itemTopics
    let popularity = counts.map(Float.init)
    let pop = try evaluate(split, k: 10) { _ in popularity }
    let topical = try evaluate(split, k: 10) { last in
      (0...data.itemCount).map { Float(counts[$0]) * (topics[$0] == topics[Int(last)] ? 1 : 0.01) }
    }
    print("synthetic HR@10: popularity \(pop), current-topic popularity \(topical)")
    #expect(topical > 2 * pop)
  }

  @Test func featuresBeatIDsOnRareItems() throws {
    let split = Split.leaveOneOut(data)
    let training = split.trainingSequences(includingValidation: true)
    let n = data.itemCount
    var counts = [Int](repeating: 0, count: n + 1)
    var transitions: [Int: [Int: Int]] = [:]
    for sequence in training {
      for item in sequence { counts[Int(item)] += 1 }
      for (a, b) in zip(sequence, sequence.dropFirst()) { transitions[Int(a), default: [:]][Int(b), default: 0] += 1 }
    }
    let rare = split.test.filter { counts[Int($0.targets.first!)] <= 2 }
    let visual = data.features["visual"]!
    let ids = try evaluate(split, cases: rare, k: 50) { last in
      let next = transitions[Int(last)] ?? [:]
      return (0...n).map { Float(next[$0] ?? 0) + 0.001 * Float(counts[$0]) }
    }
    let features = try evaluate(split, cases: rare, k: 50) { last in
      let v = visual.row(Int(last))
      return (0...n).map { j in -zip(v, visual.row(j)).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
    }
    print("synthetic rare targets (\(rare.count) cases) HR@50: item transitions \(ids), visual similarity \(features)")
    #expect(rare.count > 30)
    #expect(features > 1.5 * ids)
  }
}
