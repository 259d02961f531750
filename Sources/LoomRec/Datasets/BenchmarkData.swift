import Foundation

/// A synthetic data set of MovieLens-100k's shape, drawn the way the PyTorch reference harness
/// draws its own (bench/torch-ref `make_dataset`), so both sides time the same work:
///
/// - 943·s users with log-normal activity (median 65, σ = 0.85) clipped to [20, 737] and
///   rescaled until the total is about 100,000·s interactions;
/// - 1682·√s items with Zipf-like popularity (exponent 0.9 over a random permutation), each user's
///   items drawn without replacement;
/// - for MIN: a 128-d N(0, 1) visual vector and 16 word ids from a 5,000-word vocabulary per item;
/// - for MFN4Rec: a 1000-d |N(0, 1)| image vector, and a 100-d text vector, the TF-IDF weighted
///   sum of frozen random word vectors over the same 16-word texts.
///
/// `scale` s grows the interactions to 100,000·s along a path that ends, at 12×, at the shape of
/// MIN's largest data set (MIN Table 1, MovieLens: 55,485 users, 5,986 items, 1,239,508
/// feedbacks, so 22 per user): users 943·s^1.64, items 1682·s^0.51, and the shortest history
/// 20·s^−0.64 but at least 5 (MIN §5.1.1 drops users with fewer than five records). At s = 1 every
/// exponent is 1 and the data is exactly torch-ref's.
public enum BenchmarkData {
  public enum Modalities: Sendable { case min, mfn4rec }

  /// 12× lands exactly on MIN's MovieLens counts.
  static let usersExponent = Foundation.log(55485.0 / 943) / Foundation.log(12.0)
  static let itemsExponent = Foundation.log(5986.0 / 1682) / Foundation.log(12.0)

  public static func make(_ modalities: Modalities, scale: Double = 1, seed: UInt64 = 0) -> Dataset {
    var random = DataRandom(seed: seed)
    let users = Int((943 * pow(scale, usersExponent)).rounded())
    let items = Int((1682 * pow(scale, itemsExponent)).rounded())
    let shortest = max(5, Int((20 * pow(scale, 1 - usersExponent)).rounded()))
    let target = 100_000 * scale
    var raw = (0..<users).map { _ in Foundation.exp(log(65.0) + 0.85 * random.normal()) }
    var lengths = [Int](repeating: 0, count: users)
    for _ in 0..<50 {
      lengths = raw.map { min(737, max(shortest, Int($0.rounded()))) }
      let total = Double(lengths.reduce(0, +))
      if abs(total - target) < 200 * scale { break }
      raw = raw.map { $0 * target / total }
    }
    var ranks = Array(1...items)
    random.shuffle(&ranks)
    let popularity = ranks.map { 1 / pow(Double($0), 0.9) }
    // Weighted sampling without replacement: the n smallest keys −log(u)/p (exponential races).
    let sequences: [[Int32]] = lengths.map { n in
      let keys = popularity.map { -log(max(random.uniform(), 1e-300)) / $0 }
      let order = keys.indices.sorted { keys[$0] < keys[$1] }
      let chosen = order.prefix(min(n, items)).map { Int32($0 + 1) }
      var shuffled = Array(chosen)
      random.shuffle(&shuffled)
      return shuffled
    }
    let ids = ["[PAD]"] + (1...items).map { "i\($0)" }
    let userIDs = (1...users).map { "u\($0)" }
    func normalRows(_ d: Int, absolute: Bool) -> FeatureMatrix {
      var m = FeatureMatrix(zeros: items + 1, cols: d)
      for i in d..<m.values.count {
        let v = Float(random.normal())
        m.values[i] = absolute ? abs(v) : v
      }
      return m
    }
    let vocabulary = 5000
    let textLength = 16
    var words = [Int32](repeating: 0, count: (items + 1) * textLength)
    for i in textLength..<words.count { words[i] = Int32(1 + random.below(vocabulary - 1)) }
    let text = ItemText(
      vocabulary: (0..<vocabulary).map { "w\($0)" }, maxWords: textLength, words: words,
      lengths: [0] + [Int32](repeating: Int32(textLength), count: items))
    switch modalities {
    case .min:
      return Dataset(
        name: "ml-100k-shaped", userIDs: userIDs, itemIDs: ids, sequences: sequences,
        features: ["visual": normalRows(128, absolute: false)], text: text)
    case .mfn4rec:
      return Dataset(
        name: "ml-100k-shaped", userIDs: userIDs, itemIDs: ids, sequences: sequences,
        features: [
          "visual": normalRows(1000, absolute: true),
          "text": textVectors(words, items: items, textLength: textLength, vocabulary: vocabulary, random: &random),
        ])
    }
  }

  /// TF-IDF weighted sums of frozen random 100-d word vectors (std 0.1).
  static func textVectors(_ words: [Int32], items: Int, textLength: Int, vocabulary: Int, random: inout DataRandom)
    -> FeatureMatrix
  {
    let d = 100
    let glove = (0..<(vocabulary * d)).map { _ in Float(0.1 * random.normal()) }
    var documentFrequency = [Int](repeating: 0, count: vocabulary)
    for i in 1...items { for w in Set(words[(i * textLength)..<((i + 1) * textLength)]) { documentFrequency[Int(w)] += 1 } }
    var m = FeatureMatrix(zeros: items + 1, cols: d)
    for i in 1...items {
      for w in words[(i * textLength)..<((i + 1) * textLength)] {
        let weight = Float(log(Double(items) / Double(max(documentFrequency[Int(w)], 1)))) / Float(textLength)
        for k in 0..<d { m.values[i * d + k] += weight * glove[Int(w) * d + k] }
      }
    }
    return m
  }
}
