import Foundation
import LoomTensor

/// What layers need to know about a data set's items, prepared once: ids 1...itemCount (0 is the
/// padding item), each item's words, dense feature tables and TF-IDF word weights.
public final class ItemCatalog: @unchecked Sendable {
  public let name: String
  public let itemCount: Int
  /// Word ids per item, `[itemCount + 1, maxWords]`, right-padded with 0; row 0 is all padding.
  public let words: [Int32]
  public let maxWords: Int
  /// Word ids are 0 (padding), 1 (out of vocabulary) and up to `vocabularySize − 1`.
  public let vocabularySize: Int
  /// Dense item features by modality name, each `[itemCount + 1, d]` with a zero row 0.
  public let features: [String: Tensor]
  /// TF-IDF weight of each word slot, `[itemCount + 1, maxWords]`, 0 for padding. Computed in
  /// `init`, not lazily: a catalogue is shared by graphs that may run on several threads.
  public let tfidf: [Float]

  public init(
    name: String, itemCount: Int, words: [Int32] = [], maxWords: Int = 0, vocabularySize: Int = 0,
    features: [String: Tensor] = [:]
  ) {
    self.name = name
    self.itemCount = itemCount
    self.maxWords = words.isEmpty ? 0 : maxWords
    self.words = words
    self.vocabularySize = vocabularySize
    self.features = features
    tfidf = Self.tfidfWeights(words, items: itemCount + 1, maxWords: words.isEmpty ? 0 : maxWords)
  }

  public var hasText: Bool { maxWords > 0 }

  /// tf-idf(w, i) = (count of w in i / words in i) · log(N / items containing w), one weight per
  /// word slot, so a repeated word's slots share its weight (MFN4Rec §3.1 "TF-IDF ... weighted
  /// sum of the embeddings of words").
  static func tfidfWeights(_ words: [Int32], items: Int, maxWords: Int) -> [Float] {
    guard maxWords > 0 else { return [] }
    var documentFrequency: [Int32: Int] = [:]
    var documents = 0
    for i in 1..<items {
      let row = words[(i * maxWords)..<((i + 1) * maxWords)].filter { $0 != 0 }
      if !row.isEmpty { documents += 1 }
      for w in Set(row) { documentFrequency[w, default: 0] += 1 }
    }
    var weights = [Float](repeating: 0, count: words.count)
    for i in 1..<items {
      let row = Array(words[(i * maxWords)..<((i + 1) * maxWords)])
      let length = row.filter { $0 != 0 }.count
      guard length > 0 else { continue }
      var counts: [Int32: Int] = [:]
      for w in row where w != 0 { counts[w, default: 0] += 1 }
      for (slot, w) in row.enumerated() where w != 0 {
        guard let count = counts[w], let frequency = documentFrequency[w] else {
          preconditionFailure("word \(w) of item \(i) was counted in both passes over the same rows")
        }
        let tf = Double(count) / Double(length)
        let idf = log(Double(max(documents, 1)) / Double(frequency))
        weights[i * maxWords + slot] = Float(tf * idf)
      }
    }
    return weights
  }
}
