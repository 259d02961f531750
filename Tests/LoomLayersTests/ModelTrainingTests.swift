import LoomGraph
import LoomTensor
import Testing

@testable import LoomLayers

/// SASRec and GRU4Rec built through the layer API learn a planted sequential pattern (the next
/// item is always the current one plus one) far above popularity, whose HR@5 is 5/30 ≈ 0.17
/// since every item is equally popular.
@Suite(.serialized) struct ModelTrainingTests {
  func train(_ model: Recommender, objective: Objective, steps: Int) throws -> [Float] {
    BLAS.threads = 1
    var random = SeededRandom(seed: 8)
    model.initialize(seed: 1)
    let adam = Adam(learningRate: 5e-3)
    let run = RunState(training: true, seed: 2)
    var losses: [Float] = []
    for _ in 0..<steps {
      var b = cyclicBatch(items: 30, size: 32, maxlen: 8, random: &random)
      if objective == .ce { (b.negatives, b.negativesPerTarget) = ([], 0) }
      losses.append(try model.trainStep(b, objective: objective, run: run, optimizer: adam)[0].value)
    }
    return losses
  }

  @Test func sasrecLearnsThePattern() throws {
    let catalog = plainCatalog(30)
    let id = try Embedding.node(ItemIDs.node(catalog), dim: 16)
    let model = try Recommender(
      user: try SelfAttention.node(SequenceLift.node(id), layers: 2, heads: 2, maxlen: 8, ffn: 32), item: id)
    let losses = try train(model, objective: .bce(negatives: 1), steps: 150)
    #expect(losses.suffix(10).reduce(0, +) < 0.5 * losses.prefix(10).reduce(0, +))
    var random = SeededRandom(seed: 99)
    #expect(try cyclicHitRatio(model, items: 30, maxlen: 8, k: 5, random: &random) > 0.8)
  }

  @Test func gru4recLearnsThePatternWithFullSoftmax() throws {
    let catalog = plainCatalog(30)
    let id = try Embedding.node(ItemIDs.node(catalog), dim: 16)
    let model = try Recommender(user: try GRU.node(SequenceLift.node(id), hidden: 16), item: id)
    let losses = try train(model, objective: .ce, steps: 150)
    #expect(losses.last! < 0.5 * losses.first!)
    var random = SeededRandom(seed: 99)
    #expect(try cyclicHitRatio(model, items: 30, maxlen: 8, k: 5, random: &random) > 0.8)
  }

  @Test func bprTrainsToo() throws {
    let catalog = plainCatalog(30)
    let id = try Embedding.node(ItemIDs.node(catalog), dim: 16)
    let model = try Recommender(user: try GRU.node(SequenceLift.node(id), hidden: 16), item: id)
    let losses = try train(model, objective: .bpr(negatives: 1), steps: 150)
    #expect(losses.suffix(10).reduce(0, +) < 0.5 * losses.prefix(10).reduce(0, +))
  }

  @Test func sameSeedSameModel() throws {
    let catalog = plainCatalog(30)
    func make() throws -> Recommender {
      let id = try Embedding.node(ItemIDs.node(catalog), dim: 8)
      return try Recommender(user: try GRU.node(SequenceLift.node(id), hidden: 8), item: id)
    }
    let (a, b) = (try make(), try make())
    _ = try train(a, objective: .bce(negatives: 1), steps: 5)
    _ = try train(b, objective: .bce(negatives: 1), steps: 5)
    #expect(a.parameters.map { $0.weight.parameter.tensor.scalars } == b.parameters.map { $0.weight.parameter.tensor.scalars })
  }
}
