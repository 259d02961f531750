import Testing

@testable import LoomRec

@Suite struct TopKTests {
  @Test func returnsTheBestFirstSkippingPaddingAndExcludedItems() {
    let scores: [Float] = [100, 0.1, 0.9, 0.5, 0.7, 0.3, 0.8]
    let best = topK(scores[...], k: 3)
    #expect(best.map(\.item) == [2, 6, 4])
    #expect(best.map(\.score) == [0.9, 0.8, 0.7])
    #expect(topK(scores[...], k: 3, excluding: [Int32(2), 4]).map(\.item) == [6, 3, 5])
  }

  @Test func tiesGoToTheLowerIDAndNaNNeverEnters() {
    let scores: [Float] = [0, 0.5, .nan, 0.5, 0.9, 0.5]
    #expect(topK(scores[...], k: 3).map(\.item) == [4, 1, 3])
    #expect(topK(scores[...], k: 10).map(\.item) == [4, 1, 3, 5])
    #expect(topK(scores[...], k: 0).isEmpty)
  }

  @Test func worksOnARowOfABatch() {
    let batch: [Float] = [0, 1, 2, 3, 0, 3, 2, 1]
    #expect(topK(batch[4..<8], k: 2).map(\.item) == [1, 2])
  }

  @Test func agreesWithAFullSortOnRandomScores() {
    var random = DataRandom(seed: 6)
    let scores = (0..<500).map { _ in Float(random.below(50)) }
    let expected = (1..<500).sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }.prefix(20)
    #expect(topK(scores[...], k: 20).map { Int($0.item) } == Array(expected))
  }
}
