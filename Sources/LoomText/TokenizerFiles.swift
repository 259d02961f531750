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
    let lowercaseInput = try Self.sentenceConfig(modelDirectory)?.bool("do_lower_case") ?? false
    if ModelFiles.exists(tokenizerJSON) {
      self = try Self.fromTokenizerJSON(tokenizerJSON, maxLength: maxLength, lowercaseInput: lowercaseInput)
    } else {
      self = try Self.fromVocabulary(modelDirectory, maxLength: maxLength, lowercaseInput: lowercaseInput)
    }
  }

  private static func sentenceConfig(_ directory: String) throws -> JSONFields? {
    let path = ModelFiles.path(directory, "sentence_bert_config.json")
    guard ModelFiles.exists(path) else { return nil }
    return JSONFields(object: try ModelFiles.jsonObject(path, help: folderHelp), file: path)
  }

  private static func maxLength(_ directory: String) throws -> Int {
    var limit = try sentenceConfig(directory)?.int("max_seq_length")
    let tokenizerConfig = ModelFiles.path(directory, "tokenizer_config.json")
    if limit == nil, ModelFiles.exists(tokenizerConfig) {
      let fields = JSONFields(object: try ModelFiles.jsonObject(tokenizerConfig, help: folderHelp), file: tokenizerConfig)
      // Tokenizers without a limit store a huge sentinel (1e30) here.
      if let value = try? fields.double("model_max_length"), value < 1e6 { limit = Int(value) }
    }
    let config = ModelFiles.path(directory, "config.json")
    if ModelFiles.exists(config) {
      let fields = JSONFields(object: try ModelFiles.jsonObject(config, help: folderHelp), file: config)
      if let positions = try fields.int("max_position_embeddings") { limit = min(limit ?? positions, positions) }
    }
    return limit ?? 512
  }

  private static func fromTokenizerJSON(_ path: String, maxLength: Int, lowercaseInput: Bool) throws -> WordPieceTokenizer {
    let root = JSONFields(object: try ModelFiles.jsonObject(path, help: folderHelp), file: path)
    guard let model = try root.object("model"), try model.string("type") == "WordPiece" else {
      throw EncoderError(
        .unsupported, file: path, "the tokenizer model is not WordPiece",
        help: "only BERT-family tokenizers (WordPiece) are implemented")
    }
    guard let vocabularyObject = model.object["vocab"] as? [String: Any] else {
      throw EncoderError(.badConfig, file: path, "\"model.vocab\" should map tokens to ids")
    }
    var vocabulary: [String: Int32] = [:]
    vocabulary.reserveCapacity(vocabularyObject.count)
    for (token, id) in vocabularyObject {
      guard let number = id as? NSNumber, let id32 = Int32(exactly: number.doubleValue) else {
        throw EncoderError(.badConfig, file: path, "the id of \"\(token)\" in model.vocab is not an integer")
      }
      vocabulary[token] = id32
    }
    let unknown = try model.string("unk_token") ?? "[UNK]"
    let wordPiece = WordPiece(
      vocabulary: vocabulary, unknownID: try id(of: unknown, in: vocabulary, file: path),
      continuingPrefix: try model.string("continuing_subword_prefix") ?? "##",
      maxInputCharsPerWord: try model.int("max_input_chars_per_word") ?? 100)

    guard let normalizerFields = try root.object("normalizer"), try normalizerFields.string("type") == "BertNormalizer" else {
      throw EncoderError(
        .unsupported, file: path, "the normalizer is not BertNormalizer",
        help: "only BERT-family tokenizers (BertNormalizer, BertPreTokenizer, WordPiece) are implemented")
    }
    let normalizer = BertNormalizer(
      cleanText: try normalizerFields.bool("clean_text") ?? true,
      handleChineseChars: try normalizerFields.bool("handle_chinese_chars") ?? true,
      stripAccents: try normalizerFields.bool("strip_accents"),
      lowercase: try normalizerFields.bool("lowercase") ?? true)
    if let pre = try root.object("pre_tokenizer"), try pre.string("type") != "BertPreTokenizer" {
      throw EncoderError(
        .unsupported, file: path, "the pre-tokenizer is \(try pre.string("type") ?? "unknown"), not BertPreTokenizer",
        help: "only BERT-family tokenizers are implemented")
    }

    var special: [SpecialToken] = []
    for case let token as [String: Any] in root.object["added_tokens"] as? [Any] ?? [] {
      let fields = JSONFields(object: token, file: path)
      // Tokens marked `normalized` are matched in the normalised text by the reference; BERT's
      // special tokens are not, and are matched in the raw text, as here.
      guard try fields.bool("normalized") != true, let content = try fields.string("content"),
        let tokenID = try fields.int("id"), let id32 = Int32(exactly: tokenID)
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
  private static func framingIDs(_ root: JSONFields, vocabulary: [String: Int32], file: String) throws -> (Int32, Int32) {
    if let post = try root.object("post_processor") {
      switch try post.string("type") {
      case "BertProcessing":
        if let cls = post.object["cls"] as? [Any], let sep = post.object["sep"] as? [Any],
          let c = (cls.last as? NSNumber).flatMap({ Int32(exactly: $0.doubleValue) }),
          let s = (sep.last as? NSNumber).flatMap({ Int32(exactly: $0.doubleValue) })
        {
          return (c, s)
        }
      case "TemplateProcessing":
        let single = post.object["single"] as? [[String: Any]] ?? []
        let specials = post.object["special_tokens"] as? [String: [String: Any]] ?? [:]
        func specialID(_ item: [String: Any]?) -> Int32? {
          guard let token = item?["SpecialToken"] as? [String: Any], let name = token["id"] as? String,
            let ids = specials[name]?["ids"] as? [NSNumber], ids.count == 1
          else { return nil }
          return Int32(exactly: ids[0].doubleValue)
        }
        if single.count == 3, let c = specialID(single.first), let s = specialID(single.last) { return (c, s) }
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
    let config = ModelFiles.exists(configPath)
      ? JSONFields(object: try ModelFiles.jsonObject(configPath, help: folderHelp), file: configPath)
      : JSONFields(object: [:], file: configPath)
    func tokenName(_ key: String, _ fallback: String) throws -> String {
      if let nested = try? config.object(key), let content = try nested.string("content") { return content }
      return try config.string(key) ?? fallback
    }
    let lowercase = try config.bool("do_lower_case") ?? true
    let normalizer = BertNormalizer(
      cleanText: true, handleChineseChars: try config.bool("tokenize_chinese_chars") ?? true,
      stripAccents: try config.bool("strip_accents"), lowercase: lowercase)
    let names = (
      unknown: try tokenName("unk_token", "[UNK]"), cls: try tokenName("cls_token", "[CLS]"),
      sep: try tokenName("sep_token", "[SEP]"), pad: try tokenName("pad_token", "[PAD]"),
      mask: try tokenName("mask_token", "[MASK]"))
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
