/// The sizes of a BERT encoder, from the model folder's config.json (transformers' `BertConfig`).
/// Anything this encoder does not implement is refused here, before any weight is read: another
/// `model_type`, an activation other than exact GELU, relative position embeddings.
public struct BertConfiguration: Equatable, Sendable {
  public var vocabularySize: Int
  /// D: the width of every token's vector.
  public var hiddenSize: Int
  public var layers: Int
  public var heads: Int
  /// The feed-forward width (4·D in BERT).
  public var intermediateSize: Int
  public var maxPositions: Int
  public var typeVocabularySize: Int
  public var layerNormEpsilon: Float

  public var headSize: Int { hiddenSize / heads }

  public init(
    vocabularySize: Int, hiddenSize: Int, layers: Int, heads: Int, intermediateSize: Int, maxPositions: Int,
    typeVocabularySize: Int = 2, layerNormEpsilon: Float = 1e-12
  ) {
    self.vocabularySize = vocabularySize
    self.hiddenSize = hiddenSize
    self.layers = layers
    self.heads = heads
    self.intermediateSize = intermediateSize
    self.maxPositions = maxPositions
    self.typeVocabularySize = typeVocabularySize
    self.layerNormEpsilon = layerNormEpsilon
  }

  /// Reads and checks config.json.
  public init(file: String) throws {
    let help = "only BERT-family models (model_type \"bert\", e.g. all-MiniLM-L6-v2) are implemented"
    let config = try ModelFiles.object(BertConfigFile.self, at: file, help: help)
    let modelType = try config.modelType.value
    guard modelType == "bert" else {
      throw EncoderError(
        .unsupported, file: file, "model_type is \(modelType.map { "\"\($0)\"" } ?? "missing"), not \"bert\"", help: help)
    }
    let activation = try config.hiddenActivation.value ?? "gelu"
    guard activation == "gelu" else {
      throw EncoderError(
        .unsupported, file: file, "hidden_act is \"\(activation)\"; only \"gelu\" (exact, erf form) is implemented", help: help)
    }
    let positions = try config.positionEmbeddingType.value ?? "absolute"
    guard positions == "absolute" else {
      throw EncoderError(
        .unsupported, file: file, "position_embedding_type is \"\(positions)\"; only \"absolute\" is implemented", help: help)
    }
    self.init(
      vocabularySize: try config.vocabularySize.required, hiddenSize: try config.hiddenSize.required,
      layers: try config.layers.required, heads: try config.heads.required,
      intermediateSize: try config.intermediateSize.required,
      maxPositions: try config.maxPositions.value ?? 512,
      typeVocabularySize: try config.typeVocabularySize.value ?? 2,
      layerNormEpsilon: Float(try config.layerNormEpsilon.value ?? 1e-12))
    let sizes = [vocabularySize, hiddenSize, layers, heads, intermediateSize, maxPositions, typeVocabularySize]
    guard sizes.allSatisfy({ $0 > 0 }), hiddenSize % heads == 0 else {
      throw EncoderError(
        .badConfig, file: file,
        "sizes must be positive and hidden_size (\(hiddenSize)) a multiple of num_attention_heads (\(heads))")
    }
  }
}
