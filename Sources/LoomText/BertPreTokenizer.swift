/// BERT's pre-tokenization (HF tokenizers `BertPreTokenizer`): split on whitespace, which is
/// dropped, and on punctuation, where every punctuation character becomes a word of its own:
/// "1,000.5 $9" → ["1", ",", "000", ".", "5", "$", "9"].
public enum BertPreTokenizer {
  /// The words of an already normalised text, each as its Unicode scalars.
  public static func split(_ scalars: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
    var words: [ArraySlice<Unicode.Scalar>] = []
    var start = 0
    for (i, c) in scalars.enumerated() {
      let space = BertCharacters.isWhitespace(c)
      if space || BertCharacters.isPunctuation(c) {
        if start < i { words.append(scalars[start..<i]) }
        if !space { words.append(scalars[i...i]) }
        start = i + 1
      }
    }
    if start < scalars.count { words.append(scalars[start...]) }
    return words
  }
}
