/// Turns item text into word ids: the text modality of MIN §4.1 and MFN4Rec §3.1.
public enum TextVocabulary {
  /// Lower-cases `text` and splits it into words of letters and digits.
  ///
  /// Every other character separates words, except apostrophes, which are dropped so that
  /// "Children's" is one word, "childrens". Example: "Toy Story (1995)" -> toy, story, 1995.
  public static func tokens(_ text: String) -> [String] {
    var result: [String] = []
    var current = ""
    for character in text.lowercased() {
      if character.isLetter || character.isNumber {
        current.append(character)
      } else if character == "'" || character == "\u{2019}" {
        continue
      } else if !current.isEmpty {
        result.append(current)
        current = ""
      }
    }
    if !current.isEmpty { result.append(current) }
    return result
  }

  /// Builds the vocabulary and the padded word matrix from each item's words.
  ///
  /// - Parameters:
  ///   - itemWords: words per internal item, index 0 (padding item) is ignored.
  ///   - minCount: a word kept in the vocabulary occurs at least this often (over all items,
  ///     after capping); rarer words map to the out-of-vocabulary id 1.
  ///   - maxWords: words kept per item, the first ones.
  /// Vocabulary order: "[PAD]", "[OOV]", then by descending count, ties alphabetical, so the
  /// ids are reproducible.
  public static func build(itemWords: [[String]], minCount: Int, maxWords: Int) -> ItemText {
    let rows = itemWords.count
    var counts: [String: Int] = [:]
    for item in 1..<max(rows, 1) {
      for word in itemWords[item].prefix(maxWords) { counts[word, default: 0] += 1 }
    }
    let kept = counts.filter { $0.value >= minCount }.sorted {
      $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
    }
    var vocabulary = ["[PAD]", "[OOV]"]
    var ids: [String: Int32] = [:]
    for (word, _) in kept {
      ids[word] = Int32(vocabulary.count)
      vocabulary.append(word)
    }
    var words = [Int32](repeating: 0, count: rows * maxWords)
    var lengths = [Int32](repeating: 0, count: rows)
    for item in 1..<max(rows, 1) {
      let capped = itemWords[item].prefix(maxWords)
      for (position, word) in capped.enumerated() {
        words[item * maxWords + position] = ids[word] ?? ItemText.outOfVocabulary
      }
      lengths[item] = Int32(capped.count)
    }
    return ItemText(vocabulary: vocabulary, maxWords: maxWords, words: words, lengths: lengths)
  }
}
