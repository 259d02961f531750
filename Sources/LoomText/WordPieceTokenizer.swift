/// A BERT tokenizer that gives the ids HF tokenizers gives for the same model folder:
/// special tokens matched verbatim in the raw text ("a[MASK]b" keeps its [MASK]), the rest
/// normalised (`BertNormalizer`), split into words (`BertPreTokenizer`) and into pieces
/// (`WordPiece`), then `[CLS] pieces [SEP]`, the pieces cut so that the whole fits `maxLength`
/// (sentence-transformers' `max_seq_length`, special tokens included).
///
/// Load one with `WordPieceTokenizer(modelDirectory:)` (TokenizerFiles.swift).
public struct WordPieceTokenizer: Sendable {
  /// A token that is looked for in the raw text before normalisation and never split.
  public struct SpecialToken: Equatable, Sendable {
    public var content: String
    public var id: Int32
    public init(content: String, id: Int32) {
      self.content = content
      self.id = id
    }
  }

  public let normalizer: BertNormalizer
  public let wordPiece: WordPiece
  public let classID: Int32
  public let separatorID: Int32
  public let padID: Int32
  /// The longest encoding, [CLS] and [SEP] included.
  public let maxLength: Int
  /// sentence-transformers' `do_lower_case`: lowercase the text before the tokenizer sees it
  /// (the tokenizer's own `lowercase` is part of `normalizer`).
  public let lowercaseInput: Bool
  public let specialTokens: [SpecialToken]
  private let specialScalars: [(scalars: [Unicode.Scalar], id: Int32)]

  public init(
    normalizer: BertNormalizer, wordPiece: WordPiece, classID: Int32, separatorID: Int32, padID: Int32 = 0,
    maxLength: Int, lowercaseInput: Bool = false, specialTokens: [SpecialToken] = []
  ) {
    self.normalizer = normalizer
    self.wordPiece = wordPiece
    self.classID = classID
    self.separatorID = separatorID
    self.padID = padID
    self.maxLength = max(2, maxLength)
    self.lowercaseInput = lowercaseInput
    self.specialTokens = specialTokens
    // Longest first, so that of two tokens starting at the same place the longer one wins (the
    // reference matches leftmost-longest).
    self.specialScalars = specialTokens.filter { !$0.content.isEmpty }
      .map { (Array($0.content.unicodeScalars), $0.id) }
      .sorted { $0.0.count > $1.0.count }
  }

  /// The same tokenizer with another length limit (at least 2: [CLS] and [SEP]).
  public func truncating(at maxLength: Int) -> WordPieceTokenizer {
    WordPieceTokenizer(
      normalizer: normalizer, wordPiece: wordPiece, classID: classID, separatorID: separatorID, padID: padID,
      maxLength: maxLength, lowercaseInput: lowercaseInput, specialTokens: specialTokens)
  }

  /// The ids of one text: `[CLS]`, at most `maxLength − 2` pieces, `[SEP]`. An empty text gives
  /// `[CLS] [SEP]`.
  public func encode(_ text: String) -> [Int32] {
    let input = lowercaseInput ? text.lowercased() : text
    let budget = maxLength - 1
    var ids: [Int32] = [classID]
    let scalars = Array(input.unicodeScalars)
    var plainStart = 0
    var i = 0
    while i < scalars.count && ids.count < budget {
      if let special = specialToken(in: scalars, at: i) {
        appendPieces(of: scalars[plainStart..<i], to: &ids)
        ids.append(special.id)
        i += special.length
        plainStart = i
      } else {
        i += 1
      }
    }
    // The loop stops at the end of the text, or right after a special token once the budget is
    // spent; either way the plain text since the last special token is still to be split.
    appendPieces(of: scalars[plainStart..<i], to: &ids)
    if ids.count > budget { ids.removeSubrange(budget...) }
    ids.append(separatorID)
    return ids
  }

  private func appendPieces(of text: ArraySlice<Unicode.Scalar>, to ids: inout [Int32]) {
    if text.isEmpty { return }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: text)
    let normalized = normalizer.normalize(String(view))
    for word in BertPreTokenizer.split(normalized) {
      if ids.count >= maxLength { return }
      wordPiece.tokenize(word, into: &ids)
    }
  }

  private func specialToken(in scalars: [Unicode.Scalar], at i: Int) -> (id: Int32, length: Int)? {
    for token in specialScalars where token.scalars[0] == scalars[i] && i + token.scalars.count <= scalars.count {
      if scalars[i..<(i + token.scalars.count)].elementsEqual(token.scalars) {
        return (token.id, token.scalars.count)
      }
    }
    return nil
  }
}
