import Foundation

/// The knobs of the built-in multimodal data set (see `Dataset.synthetic`). Defaults give a data
/// set on which a sequence model beats popularity and features help most on rare items.
public struct SyntheticConfig: Sendable {
  public var users = 2000
  public var items = 3000
  public var seed: UInt64 = 7
  /// Latent topics; each item has exactly one.
  public var topics = 12
  /// Dimension of the latent topic space the visual vectors are projected from.
  public var latentDim = 8
  /// Dimension of the "visual" features.
  public var visualDim = 32
  /// Standard deviation of each item's own latent offset from its topic centre (centres are
  /// N(0, I), so 1 would make topics overlap heavily).
  public var visualNoise = 0.5
  /// Topic-specific words per topic and words shared by all topics.
  public var wordsPerTopic = 30
  public var sharedWords = 80
  /// Mean words per item (uniform between half and one and a half times this).
  public var wordsPerItem = 8
  /// Probability that a word of an item comes from its topic's vocabulary.
  public var topicWordShare = 0.7
  /// Sequence length: minLength plus a geometric number, mean meanLength, capped at maxLength.
  public var minLength = 5
  public var meanLength = 20
  public var maxLength = 60
  /// Probability that the next item stays in the current topic.
  public var stay = 0.7
  /// Probability that the user drifts to the next topic of the cycle (t -> t+1 mod topics);
  /// with the remaining probability the user jumps to one of their favourite topics.
  public var drift = 0.15
  /// Favourite topics per user.
  public var favouriteTopics = 3
  /// Within a topic, probability of taking the successor of the current item (a planted
  /// item-to-item transition, like the next film of a series).
  public var follow = 0.3
  /// Zipf exponent of item popularity within a topic: weight 1 / rank^popularity.
  public var popularity = 1.0

  public init() {}

  public init(users: Int, items: Int, seed: UInt64) {
    self.users = users
    self.items = items
    self.seed = seed
  }

  func check() throws {
    func bad(_ message: String) -> DataError { DataError(.badOption, file: "synthetic", message) }
    if users < 1 { throw bad("users must be at least 1, got \(users)") }
    if topics < 1 { throw bad("topics must be at least 1, got \(topics)") }
    if items < topics { throw bad("items (\(items)) must be at least topics (\(topics))") }
    if minLength < 1 || maxLength < minLength || meanLength < minLength {
      throw bad("lengths need 1 <= minLength <= meanLength and minLength <= maxLength")
    }
    if latentDim < 1 || visualDim < 1 { throw bad("latentDim and visualDim must be positive") }
    if wordsPerItem < 1 || wordsPerTopic + sharedWords < 1 { throw bad("items need words") }
    for (name, p) in [("stay", stay), ("drift", drift), ("follow", follow), ("topicWordShare", topicWordShare)]
    where !(0...1).contains(p) {
      throw bad("\(name) is a probability, got \(p)")
    }
    if stay + drift > 1 { throw bad("stay + drift must not exceed 1") }
    if favouriteTopics < 1 { throw bad("favouriteTopics must be at least 1") }
  }
}

/// A synthetic data set together with its hidden truth, for tests and demonstrations.
public struct SyntheticData: Sendable {
  public var dataset: Dataset
  /// Topic of each internal item (index 0, the padding item, is -1).
  public var itemTopics: [Int32]
}

extension Dataset {
  /// The built-in multimodal data set, deterministic for a seed.
  ///
  /// Items have latent topics (assigned round-robin, then shuffled). The visual vector is
  /// W (c_topic + σ ε) + 0.1 η: a fixed random projection W of the topic centre plus item noise.
  /// Text words come from the topic's vocabulary with probability `topicWordShare`, else from a
  /// shared one; titles are the first two words and the item id. Each user has favourite topics
  /// and walks between topics: stay (`stay`), drift to the next topic (`drift`), or jump to a
  /// favourite. Within a topic the next item is the successor of the current one (`follow`) or
  /// drawn by Zipf popularity, without repeating items. So the next item is predictable from the
  /// current one (sequence models beat popularity), and rare items, whose ids are seldom trained,
  /// are still recognisable by their topic's look and words (features help on the long tail).
  public static func synthetic(users: Int, items: Int, seed: UInt64) throws -> Dataset {
    try generateSynthetic(SyntheticConfig(users: users, items: items, seed: seed)).dataset
  }

  public static func synthetic(_ config: SyntheticConfig) throws -> Dataset {
    try generateSynthetic(config).dataset
  }

  /// The generator with its hidden topics; see `synthetic(users:items:seed:)`.
  public static func generateSynthetic(_ config: SyntheticConfig) throws -> SyntheticData {
    try config.check()
    let topicCount = config.topics
    var random = DataRandom(seed: config.seed)

    // Topics: balanced round-robin assignment, shuffled.
    var topicOf = (0..<config.items).map { Int32($0 % topicCount) }
    random.shuffle(&topicOf)
    var itemsOfTopic: [[Int32]] = Array(repeating: [], count: topicCount)
    for (index, topic) in topicOf.enumerated() { itemsOfTopic[Int(topic)].append(Int32(index + 1)) }
    for t in 0..<topicCount { random.shuffle(&itemsOfTopic[t]) }  // order = popularity rank
    var rankInTopic = [Int](repeating: 0, count: config.items + 1)
    for list in itemsOfTopic { for (rank, item) in list.enumerated() { rankInTopic[Int(item)] = rank } }
    let cumulativeOfTopic: [[Double]] = itemsOfTopic.map { list in
      var total = 0.0
      return list.indices.map { rank in
        total += 1 / pow(Double(rank + 1), config.popularity)
        return total
      }
    }

    // Visual: projection of the topic centre plus noise.
    let centres = (0..<topicCount).map { _ in (0..<config.latentDim).map { _ in random.normal() } }
    let scale = 1 / Double(max(config.latentDim, 1)).squareRoot()
    let projection = (0..<(config.visualDim * config.latentDim)).map { _ in random.normal() * scale }
    var visual = [Float](repeating: 0, count: (config.items + 1) * config.visualDim)
    for item in 1...config.items {
      let centre = centres[Int(topicOf[item - 1])]
      let latent = centre.map { $0 + config.visualNoise * random.normal() }
      for row in 0..<config.visualDim {
        var sum = 0.0
        for k in 0..<config.latentDim { sum += projection[row * config.latentDim + k] * latent[k] }
        visual[item * config.visualDim + row] = Float(sum + 0.1 * random.normal())
      }
    }

    // Text: topic words and shared words; titles from the first two words.
    let topicWords = (0..<topicCount).map { t in
      (0..<config.wordsPerTopic).map { pseudoWord(t * config.wordsPerTopic + $0) }
    }
    let shared = (0..<config.sharedWords).map { pseudoWord(topicCount * config.wordsPerTopic + $0) }
    var itemWords: [[String]] = [[]]
    var titles = [""]
    for item in 1...config.items {
      let vocabulary = topicWords[Int(topicOf[item - 1])]
      let low = max(1, config.wordsPerItem / 2)
      let count = low + random.below(max(1, config.wordsPerItem - low + config.wordsPerItem / 2 + 1))
      var words: [String] = []
      for _ in 0..<count {
        let fromTopic = shared.isEmpty || (!vocabulary.isEmpty && random.chance(config.topicWordShare))
        let source = fromTopic ? vocabulary : shared
        if source.isEmpty { continue }
        // Squaring a uniform favours the first words: each vocabulary has frequent words.
        let u = random.uniform()
        words.append(source[min(source.count - 1, Int(u * u * Double(source.count)))])
      }
      itemWords.append(words)
      titles.append(
        (words.prefix(2).map { $0.prefix(1).uppercased() + $0.dropFirst() } + ["\(item)"])
          .joined(separator: " "))
    }

    // Users walk between topics.
    var sequences: [[Int32]] = []
    let lengthP = 1 / Double(max(1, config.meanLength - config.minLength) + 1)
    var seen = [Int](repeating: -1, count: config.items + 1)
    for user in 0..<config.users {
      var favourites: [Int] = []
      while favourites.count < min(config.favouriteTopics, topicCount) {
        let t = random.below(topicCount)
        if !favourites.contains(t) { favourites.append(t) }
      }
      if favourites.isEmpty { favourites = [0] }
      let extra = lengthP >= 1 ? 0 : Int(log(1 - random.uniform()) / log(1 - lengthP))
      let length = min(config.maxLength, config.minLength + extra)
      var topic = favourites[random.below(favourites.count)]
      var sequence: [Int32] = []
      var previous: Int32 = 0
      for step in 0..<length {
        var stayed = false
        if step > 0 {
          let r = random.uniform()
          if r < config.stay {
            stayed = true
          } else if r < config.stay + config.drift {
            topic = (topic + 1) % topicCount
          } else {
            topic = favourites[random.below(favourites.count)]
          }
        }
        let list = itemsOfTopic[topic]
        var item: Int32 = 0
        if stayed, previous > 0, random.chance(config.follow) {
          let successor = list[(rankInTopic[Int(previous)] + 1) % list.count]
          if seen[Int(successor)] != user { item = successor }
        }
        var tries = 0
        while item == 0 || (seen[Int(item)] == user && tries < 20) {
          item = list[random.pick(cumulative: cumulativeOfTopic[topic])]
          tries += 1
        }
        seen[Int(item)] = user
        sequence.append(item)
        previous = item
      }
      sequences.append(sequence)
    }

    let text = TextVocabulary.build(itemWords: itemWords, minCount: 1, maxWords: 32)
    let dataset = Dataset(
      name: "synthetic", userIDs: (0..<config.users).map { "u\($0 + 1)" },
      itemIDs: [Dataset.paddingID] + (1...config.items).map { "i\($0)" },
      sequences: sequences,
      features: ["visual": FeatureMatrix(rows: config.items + 1, cols: config.visualDim, values: visual)],
      text: text, titles: titles,
      notes: ["synthetic: \(topicCount) topics, seed \(config.seed)"])
    return SyntheticData(dataset: dataset, itemTopics: [-1] + topicOf)
  }

  /// A pronounceable, unique word for index n: base-(15·5) digits written as
  /// consonant-vowel syllables, at least two of them ("baba", "beba", ...).
  static func pseudoWord(_ n: Int) -> String {
    let consonants = Array("bdfgklmnprstvzh")
    let vowels = Array("aeiou")
    var value = n
    var syllables: [String] = []
    repeat {
      let digit = value % (consonants.count * vowels.count)
      syllables.append(String([consonants[digit / vowels.count], vowels[digit % vowels.count]]))
      value /= consonants.count * vowels.count
    } while value > 0 || syllables.count < 2
    return syllables.joined()
  }
}
