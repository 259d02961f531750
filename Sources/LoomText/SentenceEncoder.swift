import Foundation

/// Sentence vectors from a sentence-transformers model folder of the BERT family, computed
/// natively on OpenBLAS — the same numbers as `SentenceTransformer(folder).encode(texts)` (cosine
/// ≥ 0.9999 on all-MiniLM-L6-v2, see Tests/LoomTextTests).
///
/// ```swift
/// let encoder = try SentenceEncoder(modelDirectory: "models/all-MiniLM-L6-v2")
/// let vectors = try encoder.encode(["Toy Story (1995) Animation Children's Comedy"])
/// // vectors.count == 1 * encoder.dimension (384), row-major, each row of length 1
/// ```
///
/// The folder needs config.json (model_type "bert"), model.safetensors, tokenizer.json or
/// vocab.txt, modules.json and the Pooling module's config.json; sentence_bert_config.json sets
/// the length limit. Threads: the matrix products are split over `BLAS.threads` threads, set by
/// the caller. A value can be shared between threads; `encode` keeps its scratch memory local.
public struct SentenceEncoder: Sendable {
  public let configuration: BertConfiguration
  public let tokenizer: WordPieceTokenizer
  public let pipeline: SentencePipeline
  let encoder: BertEncoder

  /// The length of each sentence vector (the model's hidden size: 384 for all-MiniLM-L6-v2).
  public var dimension: Int { configuration.hiddenSize }

  /// Loads the model folder; errors name the file at fault and what to do.
  public init(modelDirectory: String) throws {
    try ModelFiles.requireDirectory(modelDirectory)
    let configuration = try BertConfiguration(file: ModelFiles.path(modelDirectory, "config.json"))
    let pipeline = try SentencePipeline(modelDirectory: modelDirectory)
    let tokenizer = try WordPieceTokenizer(modelDirectory: modelDirectory)
    let weightsPath = ModelFiles.path(modelDirectory, "model.safetensors")
    guard ModelFiles.exists(weightsPath) else {
      let hint =
        ModelFiles.exists(ModelFiles.path(modelDirectory, "pytorch_model.bin"))
        ? "the folder has only pytorch_model.bin; save it as safetensors (model.save_pretrained(dir, safe_serialization=True))"
        : "a sentence-transformers folder has its weights in model.safetensors; bash Examples/get-minilm.sh fetches all-MiniLM-L6-v2"
      throw EncoderError(.missingFile, file: weightsPath, "missing from the model folder", help: hint)
    }
    try self.init(
      configuration: configuration, weights: try SafeTensors(contentsOf: weightsPath), tokenizer: tokenizer,
      pipeline: pipeline)
  }

  /// An encoder from parts already read (a synthetic model in tests, say).
  public init(
    configuration: BertConfiguration, weights: SafeTensors, tokenizer: WordPieceTokenizer, pipeline: SentencePipeline
  ) throws {
    let ids =
      [tokenizer.classID, tokenizer.separatorID, tokenizer.padID, tokenizer.wordPiece.unknownID]
      + tokenizer.wordPiece.vocabulary.values + tokenizer.specialTokens.map(\.id)
    if let bad = ids.first(where: { $0 < 0 || Int($0) >= configuration.vocabularySize }) {
      throw EncoderError(
        .badConfig, file: weights.file,
        "the tokenizer has id \(bad) but the model's vocabulary has \(configuration.vocabularySize) rows",
        help: "tokenizer and weights must come from the same model folder")
    }
    self.configuration = configuration
    self.tokenizer = tokenizer.truncating(at: min(tokenizer.maxLength, configuration.maxPositions))
    self.pipeline = pipeline
    self.encoder = BertEncoder(config: configuration, weights: try BertWeights(weights, config: configuration))
  }

  /// One vector per text, row-major [texts.count, dimension], in the order of `texts`.
  /// Texts are encoded `batchSize` at a time, longest first (see `BertEncoder` for why a batch
  /// needs no padding).
  public func encode(_ texts: [String], batchSize: Int = 32) throws -> [Float] {
    try encode(tokenized: texts.map(tokenizer.encode), batchSize: batchSize)
  }

  /// One vector per token sequence (each as `tokenizer.encode` gives it: [CLS] ... [SEP]).
  public func encode(tokenized sequences: [[Int32]], batchSize: Int = 32) throws -> [Float] {
    guard batchSize >= 1 else {
      throw EncoderError(.badArgument, file: "encode", "batchSize is \(batchSize); it must be at least 1")
    }
    for (i, ids) in sequences.enumerated() {
      guard !ids.isEmpty, ids.count <= configuration.maxPositions,
        ids.allSatisfy({ $0 >= 0 && Int($0) < configuration.vocabularySize })
      else {
        throw EncoderError(
          .badArgument, file: "encode",
          "sequence \(i) has \(ids.count) ids; each needs 1...\(configuration.maxPositions) ids below \(configuration.vocabularySize)"
        )
      }
    }
    let d = dimension
    var output = [Float](repeating: 0, count: sequences.count * d)
    let order = sequences.indices.sorted { sequences[$0].count > sequences[$1].count }
    let workspace = ForwardWorkspace(hiddenSize: d, intermediateSize: configuration.intermediateSize)
    output.withUnsafeMutableBufferPointer { out in
      guard let base = out.baseAddress else { return }
      var first = 0
      while first < order.count {
        let batch = Array(order[first..<min(first + batchSize, order.count)])
        encoder.forward(batch.map { sequences[$0] }, workspace: workspace)
        var start = 0
        for index in batch {
          let n = sequences[index].count
          Pooling.pool(
            workspace.hidden + start * d, rows: n, cols: d, mode: pipeline.pooling, normalize: pipeline.normalize,
            into: base + index * d)
          start += n
        }
        first += batchSize
      }
    }
    return output
  }
}
