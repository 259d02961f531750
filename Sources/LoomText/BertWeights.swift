/// A BERT encoder's weights, read from model.safetensors under transformers' names
/// (`embeddings.word_embeddings.weight`, `encoder.layer.3.attention.self.query.weight`, ...;
/// the same under a `bert.` prefix when the file holds a whole BertFor... model). Linear
/// weights keep PyTorch's [out, in] layout: y = x Wᵀ + b.
struct BertWeights: Sendable {
  /// LayerNorm's scale γ and shift β, D values each.
  struct Norm: Sendable {
    var gamma: FloatBuffer
    var beta: FloatBuffer
  }

  struct Layer: Sendable {
    /// [3D, D]: the query, key and value projections stacked, so one product gives all three.
    var qkv: FloatBuffer
    var qkvBias: FloatBuffer
    /// [D, D], the attention output projection.
    var attentionOutput: FloatBuffer
    var attentionOutputBias: FloatBuffer
    var attentionNorm: Norm
    /// [I, D] and [D, I]: the feed-forward block.
    var intermediate: FloatBuffer
    var intermediateBias: FloatBuffer
    var output: FloatBuffer
    var outputBias: FloatBuffer
    var outputNorm: Norm
  }

  /// [V, D], [P, D], [types, D].
  var wordEmbeddings: FloatBuffer
  var positionEmbeddings: FloatBuffer
  var tokenTypeEmbeddings: FloatBuffer
  var embeddingNorm: Norm
  var layers: [Layer]

  init(_ file: SafeTensors, config c: BertConfiguration) throws {
    let prefix = ["", "bert.", "model."].first { file.tensors[$0 + "embeddings.word_embeddings.weight"] != nil } ?? ""
    func values(_ name: String, _ shape: [Int]) throws -> [Float] {
      try file.floats(prefix + name, shape: shape)
    }
    func read(_ name: String, _ shape: [Int]) throws -> FloatBuffer {
      FloatBuffer(try values(name, shape))
    }
    func norm(_ name: String) throws -> Norm {
      // Checkpoints converted from TensorFlow name the LayerNorm parameters gamma and beta.
      let old = file.tensors[prefix + name + ".gamma"] != nil
      return Norm(
        gamma: try read(name + (old ? ".gamma" : ".weight"), [c.hiddenSize]),
        beta: try read(name + (old ? ".beta" : ".bias"), [c.hiddenSize]))
    }
    let d = c.hiddenSize
    wordEmbeddings = try read("embeddings.word_embeddings.weight", [c.vocabularySize, d])
    positionEmbeddings = try read("embeddings.position_embeddings.weight", [c.maxPositions, d])
    tokenTypeEmbeddings = try read("embeddings.token_type_embeddings.weight", [c.typeVocabularySize, d])
    embeddingNorm = try norm("embeddings.LayerNorm")
    layers = try (0..<c.layers).map { l in
      let p = "encoder.layer.\(l)."
      return Layer(
        qkv: FloatBuffer(
          try values(p + "attention.self.query.weight", [d, d]) + values(p + "attention.self.key.weight", [d, d])
            + values(p + "attention.self.value.weight", [d, d])),
        qkvBias: FloatBuffer(
          try values(p + "attention.self.query.bias", [d]) + values(p + "attention.self.key.bias", [d])
            + values(p + "attention.self.value.bias", [d])),
        attentionOutput: try read(p + "attention.output.dense.weight", [d, d]),
        attentionOutputBias: try read(p + "attention.output.dense.bias", [d]),
        attentionNorm: try norm(p + "attention.output.LayerNorm"),
        intermediate: try read(p + "intermediate.dense.weight", [c.intermediateSize, d]),
        intermediateBias: try read(p + "intermediate.dense.bias", [c.intermediateSize]),
        output: try read(p + "output.dense.weight", [d, c.intermediateSize]),
        outputBias: try read(p + "output.dense.bias", [d]),
        outputNorm: try norm(p + "output.LayerNorm"))
    }
  }
}
