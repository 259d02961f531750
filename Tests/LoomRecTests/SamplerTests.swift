import Testing

@testable import LoomRec

@Suite struct SamplerTests {
  @Test func uniformNegativesAreNeverThePositiveAndCoverTheRest() {
    let sampler = NegativeSampler(kind: .uniform, itemCount: 5)
    var random = DataRandom(seed: 1)
    var counts = [Int](repeating: 0, count: 6)
    for _ in 0..<8000 { counts[Int(sampler.sample(avoiding: 3, using: &random))] += 1 }
    #expect(counts[0] == 0 && counts[3] == 0)
    #expect([1, 2, 4, 5].allSatisfy { abs(counts[$0] - 2000) < 150 })
  }

  @Test func popularityNegativesFollowTrainingCounts() {
    let sampler = NegativeSampler(kind: .popularity, itemCount: 4, counts: [0, 1, 0, 3, 4])
    var random = DataRandom(seed: 2)
    var counts = [Int](repeating: 0, count: 5)
    for _ in 0..<10_000 { counts[Int(sampler.sample(avoiding: 4, using: &random))] += 1 }
    #expect(counts[2] == 0 && counts[4] == 0)
    #expect(abs(Double(counts[3]) / 10_000 - 0.75) < 0.02)
  }

  @Test func negativesForABatchSkipEmptyTargets() {
    let sampler = NegativeSampler(kind: .uniform, itemCount: 2)
    var random = DataRandom(seed: 3)
    let negatives = sampler.negatives(for: [1, 0, 2], perTarget: 2, using: &random)
    #expect(negatives == [2, 2, 0, 0, 1, 1])
  }

  @Test func evaluationSamplesAreDistinctAndUntouched() {
    for kind in [SamplerKind.uniform, .popularity] {
      var sampler = EvaluationSampler(kind: kind, itemCount: 100, counts: (0...100).map { $0 % 7 })
      var random = DataRandom(seed: 4)
      let touched: [Int32] = [1, 2, 3, 50, 50]
      for n in [10, 60, 96, 500] {
        let drawn = sampler.sample(n, touched: touched, using: &random)
        #expect(drawn.count == min(n, 96))
        #expect(Set(drawn).count == drawn.count)
        #expect(drawn.allSatisfy { (1...100).contains($0) && !touched.contains($0) })
      }
    }
  }

  @Test func popularityEvaluationSamplesPreferPopularItems() {
    // Items 1...10 have weight 100, items 11...100 weight 1.
    let counts = (0...100).map { $0 == 0 ? 0 : $0 <= 10 ? 100 : 1 }
    var sampler = EvaluationSampler(kind: .popularity, itemCount: 100, counts: counts)
    var random = DataRandom(seed: 8)
    var popular = 0
    for _ in 0..<200 { popular += sampler.sample(5, touched: [Int32](), using: &random).filter { $0 <= 10 }.count }
    #expect(Double(popular) / 1000 > 0.85)
  }
}
