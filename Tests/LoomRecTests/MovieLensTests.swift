import Foundation
import Testing

@testable import LoomRec

/// data/ml-100k at the package root (Examples/get-ml100k.sh puts it there; data/ is not committed).
let movieLensPath: String = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("data/ml-100k").path

let movieLensPresent: Bool = {
  let present = FileManager.default.fileExists(atPath: movieLensPath + "/ml-100k.inter")
  if !present {
    print("note: skipping MovieLens-100k tests: \(movieLensPath) is missing; run Examples/get-ml100k.sh")
  }
  return present
}()

@Suite(.enabled(if: movieLensPresent, "data/ml-100k is missing: run Examples/get-ml100k.sh to fetch it"))
struct MovieLensTests {
  @Test func loadsTheRecBoleFiles() throws {
    let data = try Dataset.load(directory: movieLensPath)
    #expect(data.userCount == 943)
    #expect(data.itemCount == 1682)
    #expect(data.interactionCount == 100_000)
    let summary = describe(data)
    #expect(summary.contains("users          943"))
    #expect(summary.contains("items          1682"))
    #expect(summary.contains("interactions   100000"))
    #expect(data.titles?[Int(data.itemIDs.firstIndex(of: "1")!)] == "Toy Story")
  }

  @Test func loadsTextAndKnowledgeGraphFeatures() throws {
    var options = LoadOptions()
    options.missing = .zero
    let data = try Dataset.load(
      directory: movieLensPath, text: ["movie_title", "class"], visual: .knowledgeGraph(rank: 32), options: options)
    #expect(data.itemCount == 1682)
    #expect(data.features["visual"]?.rows == 1683 && data.features["visual"]?.cols == 32)
    #expect(data.notes.contains { $0.hasPrefix("zero-filled 84 items") })
    let text = try #require(data.text)
    let toyStory = data.itemIDs.firstIndex(of: "1")!
    let words = text.words(of: toyStory).map { text.vocabulary[Int($0)] }
    #expect(words == ["toy", "story", "animation", "childrens", "comedy"])

    let dropped = try Dataset.load(directory: movieLensPath, visual: .knowledgeGraph(rank: 32))
    #expect(dropped.itemCount == 1598)
    #expect(dropped.notes.contains("dropped 84 items (84 without visual)"))
  }

  @Test func fullRankingOfAllUsersIsFast() throws {
    let data = try Dataset.load(directory: movieLensPath)
    let split = Split.leaveOneOut(data)
    // A fixed random 64-d model: scores are the dot product of user and item vectors.
    var random = DataRandom(seed: 1)
    let d = 64
    let items = (0..<((data.itemCount + 1) * d)).map { _ in Float(random.normal()) }
    let users = (0..<(data.userCount * d)).map { _ in Float(random.normal()) }
    var scoringTime: Duration = .zero
    let clock = ContinuousClock()
    let start = clock.now
    let report = try Evaluator.evaluate(split: split, protocol: EvaluationProtocol(cutoffs: [10, 20])) {
      batchUsers, _ in
      let begin = clock.now
      defer { scoringTime += clock.now - begin }
      var scores = [Float](repeating: 0, count: batchUsers.count * (data.itemCount + 1))
      for (row, user) in batchUsers.enumerated() {
        for item in 0...data.itemCount {
          var sum: Float = 0
          for k in 0..<d { sum += users[user * d + k] * items[item * d + k] }
          scores[row * (data.itemCount + 1) + item] = sum
        }
      }
      return scores
    }
    let total = clock.now - start
    print("ml-100k full ranking: \(report.caseCount) users, evaluator \(total - scoringTime), model \(scoringTime)")
    print(report)
    #expect(report.caseCount == 943)
    // A random model is near chance: HR@10 about 10/1600.
    #expect(report["hr@10"]! < 0.05)
  }
}
