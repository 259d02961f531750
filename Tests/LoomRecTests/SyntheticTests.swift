import Testing

@testable import LoomRec

@Suite struct SyntheticTests {
  static let generated: SyntheticData = {
    var config = SyntheticConfig(users: 600, items: 900, seed: 7)
    config.topics = 10
    return try! Dataset.generateSynthetic(config)
  }()

  @Test func isDeterministicForASeed() throws {
    let a = try Dataset.synthetic(users: 50, items: 120, seed: 3)
    let b = try Dataset.synthetic(users: 50, items: 120, seed: 3)
    let c = try Dataset.synthetic(users: 50, items: 120, seed: 4)
    #expect(a.sequences == b.sequences)
    #expect(a.features == b.features)
    #expect(a.text == b.text)
    #expect(a.titles == b.titles)
    #expect(a.sequences != c.sequences)
  }

  @Test func hasEveryModalityInTheDocumentedShapes() {
    let data = Self.generated.dataset
    #expect(data.userCount == 600 && data.itemCount == 900)
    let visual = data.features["visual"]!
    #expect(visual.rows == 901 && visual.cols == 32)
    #expect(visual.row(0).allSatisfy { $0 == 0 })
    #expect(data.text!.lengths.count == 901 && data.text!.lengths[0] == 0)
    #expect(data.text!.lengths.dropFirst().allSatisfy { (4...12).contains($0) })
    #expect(data.titles!.count == 901)
    #expect(data.sequences.allSatisfy { (5...60).contains($0.count) })
    // No item repeats within a user's sequence.
    #expect(data.sequences.allSatisfy { Set($0).count == $0.count })
  }

  @Test func nextItemUsuallySharesTheTopic() {
    let topics = Self.generated.itemTopics
    var same = 0
    var pairs = 0
    for sequence in Self.generated.dataset.sequences {
      for (a, b) in zip(sequence, sequence.dropFirst()) {
        pairs += 1
        if topics[Int(a)] == topics[Int(b)] { same += 1 }
      }
    }
    let share = Double(same) / Double(pairs)
    // Chance is 1/10; the walk stays with probability 0.7 and jumps back to a favourite often.
    #expect(share > 0.7 && share < 0.85)
  }

  @Test func visualVectorsClusterByTopic() {
    let data = Self.generated.dataset
    let topics = Self.generated.itemTopics
    let visual = data.features["visual"]!
    var centroids = [[Double]](repeating: [Double](repeating: 0, count: visual.cols), count: 10)
    var counts = [Int](repeating: 0, count: 10)
    for item in 1...data.itemCount {
      let t = Int(topics[item])
      counts[t] += 1
      for (d, v) in visual.row(item).enumerated() { centroids[t][d] += Double(v) }
    }
    for t in 0..<10 { centroids[t] = centroids[t].map { $0 / Double(counts[t]) } }
    var correct = 0
    for item in 1...data.itemCount {
      let row = visual.row(item).map(Double.init)
      let nearest = (0..<10).min { a, b in
        zip(row, centroids[a]).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
          < zip(row, centroids[b]).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
      }!
      if nearest == Int(topics[item]) { correct += 1 }
    }
    #expect(Double(correct) / Double(data.itemCount) > 0.9)
  }

  @Test func wordsAreMostlyTopicSpecific() {
    let data = Self.generated.dataset
    let topics = Self.generated.itemTopics
    let text = data.text!
    // Which topics use each word.
    var topicsOfWord: [Int32: Set<Int32>] = [:]
    for item in 1...data.itemCount { for w in text.words(of: item) { topicsOfWord[w, default: []].insert(topics[item]) } }
    var specific = 0
    var total = 0
    for item in 1...data.itemCount {
      for w in text.words(of: item) {
        total += 1
        if topicsOfWord[w]!.count == 1 { specific += 1 }
      }
    }
    #expect(Double(specific) / Double(total) > 0.6)
  }

  @Test func popularityIsSkewed() {
    let counts = Self.generated.dataset.itemFrequencies().dropFirst().sorted(by: >)
    let top = counts.prefix(counts.count / 10).reduce(0, +)
    #expect(Double(top) / Double(counts.reduce(0, +)) > 0.35)
    // A long tail: the median item is well below the mean, and many items are rarely seen.
    let mean = Double(counts.reduce(0, +)) / Double(counts.count)
    #expect(Double(counts[counts.count / 2]) < 0.7 * mean)
    #expect(counts.filter { $0 <= 3 }.count > counts.count / 8)
  }

  @Test func rejectsImpossibleKnobs() {
    var config = SyntheticConfig(users: 10, items: 5, seed: 1)
    #expect(dataError { _ = try Dataset.generateSynthetic(config) }?.kind == .badOption)  // items < topics
    config.items = 50
    config.stay = 0.9
    config.drift = 0.2
    #expect(dataError { _ = try Dataset.generateSynthetic(config) }?.kind == .badOption)
  }

  @Test func pseudoWordsAreDistinct() {
    let words = (0..<2000).map { Dataset.pseudoWord($0) }
    #expect(Set(words).count == 2000)
    #expect(words[0] == "baba" && words[1] == "beba" && words[75] == "babe")
  }
}
