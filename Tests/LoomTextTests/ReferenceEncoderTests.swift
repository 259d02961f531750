import Foundation
import Testing

@testable import LoomText

/// all-MiniLM-L6-v2's vectors against sentence-transformers' (Scripts/encoder-reference.py):
/// ordinary sentences, movie and product texts, tokenizer corner cases, a text past 256 tokens.
@Suite(.enabled(if: miniLMPresent, "models/all-MiniLM-L6-v2 is missing: run bash Examples/get-minilm.sh"))
struct ReferenceEncoderTests {
  @Test func vectorsEqualSentenceTransformers() throws {
    let fixture = try ReferenceFixture.load()
    let encoder = try SentenceEncoder(modelDirectory: miniLMPath)
    #expect(encoder.dimension == 384)
    #expect(encoder.pipeline == SentencePipeline(pooling: .mean, normalize: true))
    let texts = fixture.vectors.map(\.text)
    // A batch size that splits the texts unevenly, so batches of several lengths occur.
    let vectors = try encoder.encode(texts, batchSize: 7)
    #expect(vectors.count == texts.count * 384)
    var worst = 1.0
    for (i, c) in fixture.vectors.enumerated() {
      let similarity = cosine(vectors[(i * 384)..<((i + 1) * 384)], c.vector[...])
      worst = min(worst, similarity)
      #expect(similarity >= 0.9999, "\(c.text.prefix(60).debugDescription): cosine \(similarity)")
      let largest = zip(vectors[(i * 384)..<((i + 1) * 384)], c.vector).map { abs($0 - $1) }.max() ?? 0
      #expect(largest < 1e-3, "\(c.text.prefix(60).debugDescription): largest difference \(largest)")
    }
    print("all-MiniLM-L6-v2: lowest cosine to sentence-transformers over \(texts.count) texts: \(worst)")
  }

  @Test func batchingAndOrderDoNotChangeTheVectors() throws {
    let encoder = try SentenceEncoder(modelDirectory: miniLMPath)
    let texts = try ReferenceFixture.load().vectors.map(\.text)
    let together = try encoder.encode(texts, batchSize: 32)
    let oneByOne = try encoder.encode(texts, batchSize: 1)
    let reversed = try encoder.encode(texts.reversed(), batchSize: 5)
    let d = encoder.dimension
    for i in texts.indices {
      let row = together[(i * d)..<((i + 1) * d)]
      #expect(cosine(row, oneByOne[(i * d)..<((i + 1) * d)]) > 0.999_999)
      let j = texts.count - 1 - i
      #expect(cosine(row, reversed[(j * d)..<((j + 1) * d)]) > 0.999_999)
    }
  }
}
