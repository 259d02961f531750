import LoomGraph
import LoomLayers
import LoomTensor
import Testing

@testable import LoomRec

/// Prefix-mode folding: a causal model without end-anchored positions predicts every folded
/// target exactly as it predicts the separate prefix, so the mean training loss over all
/// targets is the same; selfatt's end-anchored positions break that, so it is not folded.
@Suite(.serialized) struct PrefixFoldingTests {
  let data = try! Dataset.synthetic(users: 60, items: 80, seed: 11)

  /// Mean full-softmax loss over every prefix-mode target in one batch, at fixed parameters.
  func loss(_ model: Recommender, _ split: Split, fold: Bool) throws -> Float {
    let instances = try TrainingInstances(split: split, mode: .prefix, maxlen: 12, foldPrefixes: fold)
    let b = instances.batch(instances.rows.indices, padding: .left)
    model.initialize(seed: 4)
    let terms = try model.trainStep(
      SequenceBatch(size: b.size, maxlen: b.maxlen, inputs: b.inputs, targets: b.targets),
      objective: .ce, run: RunState(training: false, seed: 1), optimizer: Adam(learningRate: 1e-3))
    return terms[0].value
  }

  /// ID embeddings (dim 8) under the given sequence layer.
  func model(_ sequenceLayer: (LayerNode) throws -> LayerNode) throws -> Recommender {
    let id = try Embedding.node(ItemIDs.node(data.itemCatalog()), dim: 8)
    return try Recommender(user: try sequenceLayer(SequenceLift.node(id)), item: id)
  }

  @Test func foldingKeepsTheLossOfARecurrentModel() throws {
    BLAS.threads = 1
    let split = Split.leaveOneOut(data)
    let model = try model { try GRU.node($0, hidden: 8) }
    #expect(model.prefixesFoldExactly)
    let folded = try TrainingInstances(split: split, mode: .prefix, maxlen: 12, foldPrefixes: true)
    let separate = try TrainingInstances(split: split, mode: .prefix, maxlen: 12)
    #expect(folded.rows.count * 3 < separate.rows.count * 2)
    #expect(folded.targetCount == separate.targetCount)
    let a = try loss(model, split, fold: true)
    let b = try loss(model, split, fold: false)
    #expect(abs(a - b) <= 1e-5 * abs(b), "folded \(a) vs separate \(b)")
  }

  @Test func selfAttentionIsNotFoldedBecauseItsPositionsMoveWithTheRowEnd() throws {
    BLAS.threads = 1
    let split = Split.leaveOneOut(data)
    let model = try model { try SelfAttention.node($0, maxlen: 12) }
    #expect(!model.prefixesFoldExactly)
    let a = try loss(model, split, fold: true)
    let b = try loss(model, split, fold: false)
    #expect(abs(a - b) > 1e-4 * abs(b), "folded \(a) vs separate \(b)")
  }
}
