/// WordPiece (Schuster & Nakajima 2012, as BERT uses it): each word becomes the longest
/// vocabulary entry that starts it, then the longest `##`-prefixed entry that continues it, and so
/// on — "unaffable" → "un", "##aff", "##able". A word with a piece that matches nothing, or longer
/// than `maxInputCharsPerWord` scalars, becomes [UNK] as a whole.
public struct WordPiece: Sendable {
  public let vocabulary: [String: Int32]
  public let unknownID: Int32
  public let continuingPrefix: String
  public let maxInputCharsPerWord: Int

  public init(vocabulary: [String: Int32], unknownID: Int32, continuingPrefix: String = "##", maxInputCharsPerWord: Int = 100) {
    self.vocabulary = vocabulary
    self.unknownID = unknownID
    self.continuingPrefix = continuingPrefix
    self.maxInputCharsPerWord = maxInputCharsPerWord
  }

  /// Appends the ids of one word's pieces to `ids`.
  public func tokenize(_ word: ArraySlice<Unicode.Scalar>, into ids: inout [Int32]) {
    if word.count > maxInputCharsPerWord {
      ids.append(unknownID)
      return
    }
    let first = ids.count
    var start = word.startIndex
    while start < word.endIndex {
      var end = word.endIndex
      var found: Int32?
      while start < end {
        var piece = start == word.startIndex ? "" : continuingPrefix
        piece.unicodeScalars.append(contentsOf: word[start..<end])
        if let id = vocabulary[piece] {
          found = id
          break
        }
        end -= 1
      }
      guard let id = found else {
        ids.removeSubrange(first...)
        ids.append(unknownID)
        return
      }
      ids.append(id)
      start = end
    }
  }
}
