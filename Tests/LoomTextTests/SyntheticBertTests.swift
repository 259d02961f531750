import Foundation
import Testing

@testable import LoomText

/// A tiny BERT with random weights, written as a safetensors file by the test, against a second,
/// naive implementation in Double that follows transformers' BertModel line by line.
struct SyntheticBertTests {
  static let config = BertConfiguration(
    vocabularySize: 12, hiddenSize: 8, layers: 2, heads: 2, intermediateSize: 16, maxPositions: 10, layerNormEpsilon: 1e-12)

  /// Deterministic uniform values in [−scale, scale] (an LCG: the test needs no quality).
  static func random(_ count: Int, seed: inout UInt64, scale: Float = 0.5) -> [Float] {
    (0..<count).map { _ in
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return (Float(seed >> 40) / Float(1 << 24) * 2 - 1) * scale
    }
  }

  static let weights: [String: (shape: [Int], values: [Float])] = {
    var seed: UInt64 = 7
    let c = config
    let d = c.hiddenSize
    let i = c.intermediateSize
    var w: [String: (shape: [Int], values: [Float])] = [:]
    func add(_ name: String, _ shape: [Int], offset: Float = 0) {
      w[name] = (shape, random(shape.reduce(1, *), seed: &seed).map { $0 + offset })
    }
    add("embeddings.word_embeddings.weight", [c.vocabularySize, d], offset: 0)
    add("embeddings.position_embeddings.weight", [c.maxPositions, d])
    add("embeddings.token_type_embeddings.weight", [c.typeVocabularySize, d])
    add("embeddings.LayerNorm.weight", [d], offset: 1)
    add("embeddings.LayerNorm.bias", [d])
    for l in 0..<c.layers {
      let p = "encoder.layer.\(l)."
      for part in ["query", "key", "value"] {
        add(p + "attention.self.\(part).weight", [d, d])
        add(p + "attention.self.\(part).bias", [d])
      }
      add(p + "attention.output.dense.weight", [d, d])
      add(p + "attention.output.dense.bias", [d])
      add(p + "attention.output.LayerNorm.weight", [d], offset: 1)
      add(p + "attention.output.LayerNorm.bias", [d])
      add(p + "intermediate.dense.weight", [i, d])
      add(p + "intermediate.dense.bias", [i])
      add(p + "output.dense.weight", [d, i])
      add(p + "output.dense.bias", [d])
      add(p + "output.LayerNorm.weight", [d], offset: 1)
      add(p + "output.LayerNorm.bias", [d])
    }
    return w
  }()

  static func encoder(_ pipeline: SentencePipeline) throws -> SentenceEncoder {
    let file = try SafeTensors(
      data: safeTensorsBytes(weights.sorted { $0.key < $1.key }.map { ($0.key, $0.value.shape, $0.value.values) }),
      file: "synthetic.safetensors")
    var vocabulary: [String: Int32] = [:]
    for (id, token) in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "b", "c", "d", "e", "f", "g", "h"].enumerated() {
      vocabulary[token] = Int32(id)
    }
    let tokenizer = WordPieceTokenizer(
      normalizer: BertNormalizer(), wordPiece: WordPiece(vocabulary: vocabulary, unknownID: 1), classID: 2, separatorID: 3,
      maxLength: 10)
    return try SentenceEncoder(configuration: config, weights: file, tokenizer: tokenizer, pipeline: pipeline)
  }

  /// transformers' BertModel for one sequence, in Double: the final token vectors [L][D].
  static func naiveForward(_ ids: [Int32]) -> [[Double]] {
    let c = config
    let d = c.hiddenSize
    let dh = c.headSize
    func w(_ name: String) -> [Double] { (weights[name]?.values ?? []).map(Double.init) }
    func linear(_ x: [[Double]], _ name: String) -> [[Double]] {
      let weight = w(name + ".weight")
      let bias = w(name + ".bias")
      let inputs = x[0].count
      return x.map { row in
        bias.indices.map { o in bias[o] + (0..<inputs).reduce(0.0) { $0 + row[$1] * weight[o * inputs + $1] } }
      }
    }
    func norm(_ x: [[Double]], _ name: String) -> [[Double]] {
      let gamma = w(name + ".weight")
      let beta = w(name + ".bias")
      return x.map { row in
        let mean = row.reduce(0, +) / Double(row.count)
        let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(row.count)
        return row.indices.map { (row[$0] - mean) / (variance + 1e-12).squareRoot() * gamma[$0] + beta[$0] }
      }
    }
    let word = w("embeddings.word_embeddings.weight")
    let position = w("embeddings.position_embeddings.weight")
    let type = w("embeddings.token_type_embeddings.weight")
    var x = ids.enumerated().map { p, id in (0..<d).map { word[Int(id) * d + $0] + position[p * d + $0] + type[$0] } }
    x = norm(x, "embeddings.LayerNorm")
    for l in 0..<c.layers {
      let p = "encoder.layer.\(l)."
      let q = linear(x, p + "attention.self.query")
      let k = linear(x, p + "attention.self.key")
      let v = linear(x, p + "attention.self.value")
      var context = x.map { _ in [Double](repeating: 0, count: d) }
      for h in 0..<c.heads {
        for i in x.indices {
          let scores = x.indices.map { j in
            (0..<dh).reduce(0.0) { $0 + q[i][h * dh + $1] * k[j][h * dh + $1] } / Double(dh).squareRoot()
          }
          let top = scores.max() ?? 0
          let e = scores.map { Foundation.exp($0 - top) }
          let total = e.reduce(0, +)
          for j in x.indices {
            for t in 0..<dh { context[i][h * dh + t] += e[j] / total * v[j][h * dh + t] }
          }
        }
      }
      let attended = linear(context, p + "attention.output.dense")
      x = norm(zip(x, attended).map { zip($0, $1).map(+) }, p + "attention.output.LayerNorm")
      let inner = linear(x, p + "intermediate.dense").map { $0.map { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) } }
      let out = linear(inner, p + "output.dense")
      x = norm(zip(x, out).map { zip($0, $1).map(+) }, p + "output.LayerNorm")
    }
    return x
  }

  static let texts = ["a b c", "h", "", "g f e d c b a h", "b b b"]

  @Test func meanPoolingEqualsTheNaiveModel() throws {
    let encoder = try Self.encoder(SentencePipeline(pooling: .mean, normalize: false))
    let vectors = try encoder.encode(Self.texts, batchSize: 2)
    for (i, text) in Self.texts.enumerated() {
      let tokens = Self.naiveForward(encoder.tokenizer.encode(text))
      for j in 0..<8 {
        let mean = tokens.map { $0[j] }.reduce(0, +) / Double(tokens.count)
        #expect(abs(Double(vectors[i * 8 + j]) - mean) < 1e-5, "text \(i), feature \(j)")
      }
    }
  }

  @Test func clsAndMaxPoolingEqualTheNaiveModel() throws {
    let cls = try Self.encoder(SentencePipeline(pooling: .cls)).encode(Self.texts)
    let largest = try Self.encoder(SentencePipeline(pooling: .max)).encode(Self.texts)
    let tokenizer = try Self.encoder(SentencePipeline()).tokenizer
    for (i, text) in Self.texts.enumerated() {
      let tokens = Self.naiveForward(tokenizer.encode(text))
      for j in 0..<8 {
        #expect(abs(Double(cls[i * 8 + j]) - tokens[0][j]) < 1e-5)
        #expect(abs(Double(largest[i * 8 + j]) - (tokens.map { $0[j] }.max() ?? 0)) < 1e-5)
      }
    }
  }

  @Test func normalizedVectorsHaveLengthOne() throws {
    let vectors = try Self.encoder(SentencePipeline(pooling: .mean, normalize: true)).encode(Self.texts)
    for i in Self.texts.indices {
      let norm = (0..<8).reduce(Float(0)) { $0 + vectors[i * 8 + $1] * vectors[i * 8 + $1] }.squareRoot()
      #expect(abs(norm - 1) < 1e-5)
    }
  }

  @Test func badArgumentsAreRefused() throws {
    let encoder = try Self.encoder(SentencePipeline())
    #expect(throws: EncoderError.self) { try encoder.encode(["a"], batchSize: 0) }
    #expect(throws: EncoderError.self) { try encoder.encode(tokenized: [[2, 99, 3]]) }
    #expect(try encoder.encode([]).isEmpty)
  }

  @Test func erfIsAccurate() {
    for x in stride(from: Float(-4), through: 4, by: 0.01) {
      #expect(abs(Double(TextKernels.erf(x)) - Foundation.erf(Double(x))) < 5e-7)
    }
  }
}
