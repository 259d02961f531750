import Foundation

extension WordPieceTokenizer {
  static let folderHelp =
    "a BERT-family sentence-transformers folder has tokenizer.json (or vocab.txt with tokenizer_config.json); bash Examples/get-minilm.sh fetches all-MiniLM-L6-v2"

  /// The tokenizer a sentence-transformers model folder describes: tokenizer.json when present
  /// (what HF tokenizers runs), else vocab.txt with tokenizer_config.json (BERT's defaults:
  /// lowercase, strip accents with it, Chinese characters split). The length limit is
  /// sentence_bert_config.json's `max_seq_length`, else tokenizer_config.json's
  /// `model_max_length`, never more than config.json's `max_position_embeddings`.
  public init(modelDirectory: String) throws {
    try ModelFiles.requireDirectory(modelDirectory)
    let tokenizerJSON = ModelFiles.path(modelDirectory, "tokenizer.json")
    let maxLength = try Self.maxLength(modelDirectory)
    let lowercaseInput = try Self.sentenceConfig(modelDirectory)?.lowercase.value ?? false
    if ModelFiles.exists(tokenizerJSON) {
      self = try Self.fromTokenizerJSON(tokenizerJSON, maxLength: maxLength, lowercaseInput: lowercaseInput)
    } else {
      self = try Self.fromVocabulary(modelDirectory, maxLength: maxLength, lowercaseInput: lowercaseInput)
    }
  }

  private static func sentenceConfig(_ directory: String) throws -> SentenceBertConfigFile? {
    let path = ModelFiles.path(directory, "sentence_bert_config.json")
    guard ModelFiles.exists(path) else { return nil }
    return try ModelFiles.object(SentenceBertConfigFile.self, at: path, help: folderHelp)
  }

  private static func maxLength(_ directory: String) throws -> Int {
    var limit = try sentenceConfig(directory)?.maxSequenceLength.value
    let tokenizerConfig = ModelFiles.path(directory, "tokenizer_config.json")
    if limit == nil, ModelFiles.exists(tokenizerConfig) {
      let config = try ModelFiles.object(TokenizerConfigFile.self, at: tokenizerConfig, help: folderHelp)
      // Tokenizers without a limit store a huge sentinel (1e30) here.
      if let value = try? config.modelMaxLength.value, value < 1e6 { limit = Int(exactly: value.rounded(.towardZero)) }
    }
    let configPath = ModelFiles.path(directory, "config.json")
    if ModelFiles.exists(configPath) {
      let config = try ModelFiles.object(BertConfigFile.self, at: configPath, help: folderHelp)
      if let positions = try config.maxPositions.value { limit = min(limit ?? positions, positions) }
    }
    return limit ?? 512
  }

  private static func fromTokenizerJSON(_ path: String, maxLength: Int, lowercaseInput: Bool) throws -> WordPieceTokenizer {
    let root = try ModelFiles.object(TokenizerFile.self, at: path, help: folderHelp)
    guard let model = try root.model.value, try model.type.value == "WordPiece" else {
      throw EncoderError(
        .unsupported, file: path, "the tokenizer model is not WordPiece",
        help: "only BERT-family tokenizers (WordPiece) are implemented")
    }
    guard let vocabularyObject = model.vocabulary else {
      throw EncoderError(.badConfig, file: path, "\"model.vocab\" should map tokens to ids")
    }
    var vocabulary: [String: Int32] = [:]
    vocabulary.reserveCapacity(vocabularyObject.count)
    for (token, id) in vocabularyObject {
      guard let number = id.number, let id32 = Int32(exactly: number) else {
        throw EncoderError(.badConfig, file: path, "the id of \"\(token)\" in model.vocab is not an integer")
      }
      vocabulary[token] = id32
    }
    let unknown = try model.unknownToken.value ?? "[UNK]"
    let wordPiece = WordPiece(
      vocabulary: vocabulary, unknownID: try id(of: unknown, in: vocabulary, file: path),
      continuingPrefix: try model.continuingPrefix.value ?? "##",
      maxInputCharsPerWord: try model.maxInputCharsPerWord.value ?? 100)

    guard let normalizerSettings = try root.normalizer.value, try normalizerSettings.type.value == "BertNormalizer" else {
      throw EncoderError(
        .unsupported, file: path, "the normalizer is not BertNormalizer",
        help: "only BERT-family tokenizers (BertNormalizer, BertPreTokenizer, WordPiece) are implemented")
    }
    let normalizer = BertNormalizer(
      cleanText: try normalizerSettings.cleanText.value ?? true,
      handleChineseChars: try normalizerSettings.chineseCharacters.value ?? true,
      stripAccents: try normalizerSettings.stripAccents.value,
      lowercase: try normalizerSettings.lowercase.value ?? true)
    if let pre = try root.preTokenizer.value, try pre.type.value != "BertPreTokenizer" {
      throw EncoderError(
        .unsupported, file: path, "the pre-tokenizer is \(try pre.type.value ?? "unknown"), not BertPreTokenizer",
        help: "only BERT-family tokenizers are implemented")
    }

    var special: [SpecialToken] = []
    for token in root.addedTokens {
      // Tokens marked `normalized` are matched in the normalised text by the reference; BERT's
      // special tokens are not, and are matched in the raw text, as here.
      guard try token.normalized.value != true, let content = try token.content.value,
        let tokenID = try token.id.value, let id32 = Int32(exactly: tokenID)
      else { continue }
      special.append(SpecialToken(content: content, id: id32))
    }
    let (classID, separatorID) = try framingIDs(root, vocabulary: vocabulary, file: path)
    return WordPieceTokenizer(
      normalizer: normalizer, wordPiece: wordPiece, classID: classID, separatorID: separatorID,
      padID: vocabulary["[PAD]"] ?? 0, maxLength: maxLength, lowercaseInput: lowercaseInput, specialTokens: special)
  }

  /// The ids around a single sequence: the post-processor's first and last special tokens
  /// (TemplateProcessing or BertProcessing), else [CLS] and [SEP] from the vocabulary.
  private static func framingIDs(_ root: TokenizerFile, vocabulary: [String: Int32], file: String) throws -> (Int32, Int32) {
    if let post = try root.postProcessor.value {
      switch try post.type.value {
      case "BertProcessing":
        if let ids = post.bertIDs { return (ids.classID, ids.separatorID) }
      case "TemplateProcessing":
        if post.template.count == 3, let c = post.template[0], let s = post.template[2] { return (c, s) }
      default:
        break
      }
    }
    return (try id(of: "[CLS]", in: vocabulary, file: file), try id(of: "[SEP]", in: vocabulary, file: file))
  }

  private static func fromVocabulary(_ directory: String, maxLength: Int, lowercaseInput: Bool) throws -> WordPieceTokenizer {
    let vocabularyPath = ModelFiles.path(directory, "vocab.txt")
    let bytes = try ModelFiles.data(vocabularyPath, help: folderHelp)
    guard let text = String(data: bytes, encoding: .utf8) else {
      throw EncoderError(.badConfig, file: vocabularyPath, "is not UTF-8 text")
    }
    var vocabulary: [String: Int32] = [:]
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
    if lines.last == "" { lines.removeLast() }
    for (index, line) in lines.enumerated() {
      let token = line.hasSuffix("\r") ? String(line.dropLast()) : line
      if vocabulary[token] == nil { vocabulary[token] = Int32(index) }
    }

    let configPath = ModelFiles.path(directory, "tokenizer_config.json")
    let config =
      ModelFiles.exists(configPath)
      ? try ModelFiles.object(TokenizerConfigFile.self, at: configPath, help: folderHelp)
      : TokenizerConfigFile(JSONFields([:], file: configPath))
    let lowercase = try config.lowercase.value ?? true
    let normalizer = BertNormalizer(
      cleanText: true, handleChineseChars: try config.chineseCharacters.value ?? true,
      stripAccents: try config.stripAccents.value, lowercase: lowercase)
    let names = (
      unknown: try config.unknownToken.value(default: "[UNK]"), cls: try config.classToken.value(default: "[CLS]"),
      sep: try config.separatorToken.value(default: "[SEP]"), pad: try config.padToken.value(default: "[PAD]"),
      mask: try config.maskToken.value(default: "[MASK]")
    )
    let special = [names.pad, names.unknown, names.cls, names.sep, names.mask].compactMap { name in
      vocabulary[name].map { SpecialToken(content: name, id: $0) }
    }
    return WordPieceTokenizer(
      normalizer: normalizer,
      wordPiece: WordPiece(vocabulary: vocabulary, unknownID: try id(of: names.unknown, in: vocabulary, file: vocabularyPath)),
      classID: try id(of: names.cls, in: vocabulary, file: vocabularyPath),
      separatorID: try id(of: names.sep, in: vocabulary, file: vocabularyPath),
      padID: vocabulary[names.pad] ?? 0, maxLength: maxLength, lowercaseInput: lowercaseInput, specialTokens: special)
  }

  private static func id(of token: String, in vocabulary: [String: Int32], file: String) throws -> Int32 {
    guard let id = vocabulary[token] else {
      throw EncoderError(.badConfig, file: file, "the vocabulary has no \(token) token")
    }
    return id
  }
}
