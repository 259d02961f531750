/// The JSON files of a sentence-transformers model folder, each the settings this encoder reads
/// (the others are ignored). Keys are the files' own; a `Setting` is checked when it is read.

/// config.json: transformers' `BertConfig`.
struct BertConfigFile: SettingsObject {
  let modelType: Setting<String>
  let hiddenActivation: Setting<String>
  let positionEmbeddingType: Setting<String>
  let vocabularySize: Setting<Int>
  let hiddenSize: Setting<Int>
  let layers: Setting<Int>
  let heads: Setting<Int>
  let intermediateSize: Setting<Int>
  let maxPositions: Setting<Int>
  let typeVocabularySize: Setting<Int>
  let layerNormEpsilon: Setting<Double>

  init(_ fields: JSONFields) {
    modelType = fields.setting("model_type")
    hiddenActivation = fields.setting("hidden_act")
    positionEmbeddingType = fields.setting("position_embedding_type")
    vocabularySize = fields.setting("vocab_size")
    hiddenSize = fields.setting("hidden_size")
    layers = fields.setting("num_hidden_layers")
    heads = fields.setting("num_attention_heads")
    intermediateSize = fields.setting("intermediate_size")
    maxPositions = fields.setting("max_position_embeddings")
    typeVocabularySize = fields.setting("type_vocab_size")
    layerNormEpsilon = fields.setting("layer_norm_eps")
  }
}

/// sentence_bert_config.json.
struct SentenceBertConfigFile: SettingsObject {
  let maxSequenceLength: Setting<Int>
  let lowercase: Setting<Bool>

  init(_ fields: JSONFields) {
    maxSequenceLength = fields.setting("max_seq_length")
    lowercase = fields.setting("do_lower_case")
  }
}

/// tokenizer_config.json: the settings of a tokenizer that has only vocab.txt.
struct TokenizerConfigFile: SettingsObject {
  /// Tokenizers without a limit store a huge sentinel (1e30) here.
  let modelMaxLength: Setting<Double>
  let lowercase: Setting<Bool>
  let chineseCharacters: Setting<Bool>
  let stripAccents: Setting<Bool>
  let unknownToken: TokenName
  let classToken: TokenName
  let separatorToken: TokenName
  let padToken: TokenName
  let maskToken: TokenName

  init(_ fields: JSONFields) {
    modelMaxLength = fields.setting("model_max_length")
    lowercase = fields.setting("do_lower_case")
    chineseCharacters = fields.setting("tokenize_chinese_chars")
    stripAccents = fields.setting("strip_accents")
    unknownToken = TokenName(fields, "unk_token")
    classToken = TokenName(fields, "cls_token")
    separatorToken = TokenName(fields, "sep_token")
    padToken = TokenName(fields, "pad_token")
    maskToken = TokenName(fields, "mask_token")
  }

  /// A special token of tokenizer_config.json, written as the token ("[UNK]") or as an added
  /// token ({"content": "[UNK]", ...}).
  struct TokenName {
    let text: Setting<String>
    let token: Setting<AddedToken>

    init(_ fields: JSONFields, _ key: String) {
      text = fields.setting(key)
      token = fields.setting(key)
    }

    func value(default fallback: String) throws -> String {
      if let token = try? token.value, let content = try token.content.value { return content }
      return try text.value ?? fallback
    }
  }
}

/// An added token: tokenizer.json's "added_tokens", or a special token of tokenizer_config.json.
struct AddedToken: SettingsObject {
  let content: Setting<String>
  let id: Setting<Int>
  /// Tokens marked `normalized` are matched in the normalised text.
  let normalized: Setting<Bool>

  init(_ fields: JSONFields) {
    content = fields.setting("content")
    id = fields.setting("id")
    normalized = fields.setting("normalized")
  }
}

/// tokenizer.json: HF tokenizers' pipeline, of which BERT's pieces are implemented.
struct TokenizerFile: SettingsObject {
  let model: Setting<Model>
  let normalizer: Setting<Normalizer>
  let preTokenizer: Setting<Component>
  let postProcessor: Setting<PostProcessor>
  /// The objects of "added_tokens"; anything else there is skipped.
  let addedTokens: [AddedToken]

  init(_ fields: JSONFields) {
    model = fields.setting("model")
    normalizer = fields.setting("normalizer")
    preTokenizer = fields.setting("pre_tokenizer")
    postProcessor = fields.setting("post_processor")
    addedTokens = (fields.values["added_tokens"]?.array ?? []).compactMap { value in
      value.object.map { AddedToken(JSONFields($0, file: fields.file)) }
    }
  }

  /// A pipeline step known by its type alone.
  struct Component: SettingsObject {
    let type: Setting<String>

    init(_ fields: JSONFields) {
      type = fields.setting("type")
    }
  }

  struct Model: SettingsObject {
    let type: Setting<String>
    /// "vocab" when it is an object: token → id, the ids still to be checked.
    let vocabulary: [String: JSONValue]?
    let unknownToken: Setting<String>
    let continuingPrefix: Setting<String>
    let maxInputCharsPerWord: Setting<Int>

    init(_ fields: JSONFields) {
      type = fields.setting("type")
      vocabulary = fields.values["vocab"]?.object
      unknownToken = fields.setting("unk_token")
      continuingPrefix = fields.setting("continuing_subword_prefix")
      maxInputCharsPerWord = fields.setting("max_input_chars_per_word")
    }
  }

  struct Normalizer: SettingsObject {
    let type: Setting<String>
    let cleanText: Setting<Bool>
    let chineseCharacters: Setting<Bool>
    let stripAccents: Setting<Bool>
    let lowercase: Setting<Bool>

    init(_ fields: JSONFields) {
      type = fields.setting("type")
      cleanText = fields.setting("clean_text")
      chineseCharacters = fields.setting("handle_chinese_chars")
      stripAccents = fields.setting("strip_accents")
      lowercase = fields.setting("lowercase")
    }
  }

  /// What frames a single sequence. BertProcessing writes `"cls": ["[CLS]", 101]` and the same
  /// for "sep"; TemplateProcessing a template ("single": [{"SpecialToken": {"id": "[CLS]"}},
  /// {"Sequence": ...}, {"SpecialToken": ...}]) whose special tokens "special_tokens" maps to ids.
  struct PostProcessor: SettingsObject {
    let type: Setting<String>
    /// BertProcessing's ids, when both are given as numbers.
    let bertIDs: (classID: Int32, separatorID: Int32)?
    /// TemplateProcessing's single-sequence template: each piece's id when it is a special token
    /// with exactly one id, else nil; empty unless "single" is a list of objects.
    let template: [Int32?]

    init(_ fields: JSONFields) {
      type = fields.setting("type")
      let values = fields.values
      func lastID(_ key: String) -> Int32? { values[key]?.array?.last?.number.flatMap { Int32(exactly: $0) } }
      if let classID = lastID("cls"), let separatorID = lastID("sep") {
        bertIDs = (classID, separatorID)
      } else {
        bertIDs = nil
      }
      // "single" counts only when every piece is an object, "special_tokens" only when every
      // token is.
      let single = values["single"]?.array ?? []
      let pieces = single.compactMap(\.object)
      let tokens = values["special_tokens"]?.object ?? [:]
      let specials = tokens.compactMapValues(\.object)
      func specialID(_ piece: [String: JSONValue]) -> Int32? {
        guard let name = piece["SpecialToken"]?.object?["id"]?.string, specials.count == tokens.count,
          let ids = specials[name]?["ids"]?.array, ids.count == 1, let id = ids[0].number
        else { return nil }
        return Int32(exactly: id)
      }
      template = pieces.count == single.count ? pieces.map(specialID) : []
    }
  }
}

/// One entry of modules.json: a module's class ("sentence_transformers.models.Pooling") and
/// its folder.
struct SentenceTransformerModule: SettingsObject {
  let type: Setting<String>
  let path: Setting<String>

  init(_ fields: JSONFields) {
    type = fields.setting("type")
    path = fields.setting("path")
  }
}

/// The Pooling module's config.json: a `pooling_mode` name, or one flag per mode.
struct PoolingConfigFile: SettingsObject {
  let mode: Setting<String>
  let meanTokens: Setting<Bool>
  let classToken: Setting<Bool>
  let maxTokens: Setting<Bool>
  let meanSquareRootLengthTokens: Setting<Bool>
  let weightedMeanTokens: Setting<Bool>
  let lastToken: Setting<Bool>

  init(_ fields: JSONFields) {
    mode = fields.setting("pooling_mode")
    meanTokens = fields.setting("pooling_mode_mean_tokens")
    classToken = fields.setting("pooling_mode_cls_token")
    maxTokens = fields.setting("pooling_mode_max_tokens")
    meanSquareRootLengthTokens = fields.setting("pooling_mode_mean_sqrt_len_tokens")
    weightedMeanTokens = fields.setting("pooling_mode_weightedmean_tokens")
    lastToken = fields.setting("pooling_mode_lasttoken")
  }
}
