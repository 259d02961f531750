import Foundation
import Testing

@testable import LoomRec

/// The benchmark data keeps torch-ref's ml-100k shape at 1× and moves towards MIN's MovieLens
/// (55,485 users, 5,986 items, 22 interactions per user) as it grows.
struct BenchmarkDataTests {
  @Test func oneTimesIsMovieLens100kShaped() {
    let data = BenchmarkData.make(.min, scale: 1)
    #expect(data.userCount == 943)
    #expect(data.itemCount == 1682)
    #expect(abs(data.interactionCount - 100_000) <= 200)
    #expect(data.sequences.map(\.count).min() == 20)
    #expect(data.features["visual"]?.cols == 128)
  }

  @Test func threeTimesHasMoreShorterHistories() {
    let data = BenchmarkData.make(.min, scale: 3)
    #expect(data.userCount == 5714)
    #expect(data.itemCount == 2948)
    #expect(abs(data.interactionCount - 300_000) <= 600)
    #expect(data.sequences.map(\.count).min() == 10)
    // Every history is distinct items of the catalogue.
    #expect(data.sequences.allSatisfy { Set($0).count == $0.count && $0.allSatisfy { $0 >= 1 && Int($0) <= data.itemCount } })
  }

  @Test func twelveTimesLandsOnMINsMovieLensCounts() {
    // The counts alone (the data itself takes a while to draw).
    #expect(Int((943 * pow(12.0, BenchmarkData.usersExponent)).rounded()) == 55_485)
    #expect(Int((1682 * pow(12.0, BenchmarkData.itemsExponent)).rounded()) == 5_986)
  }
}
