import LoomGraph
import LoomTensor
import Testing

@testable import LoomLayers

/// The full softmax over gathered target positions (prefix-mode batches: one target per row)
/// gives the loss and the gradients of scoring every position, with maxlen times less work.
@Suite(.serialized) struct TargetGatherTests {
  @Test func gatheredTargetsGiveTheSameLossAndGradients() throws {
    BLAS.threads = 1
    let catalog = plainCatalog(30)
    let id = try Embedding.node(ItemIDs.node(catalog), dim: 6)
    let model = try Recommender(user: try GRU.node(SequenceLift.node(id), hidden: 6), item: id)
    model.initialize(seed: 2)
    var random = SeededRandom(seed: 9)
    var batch = cyclicBatch(items: 30, size: 8, maxlen: 7, random: &random)
    // Keep only each row's last target, as a prefix-mode row has.
    for cell in batch.targets.indices where cell % 7 != 6 { batch.targets[cell] = 0 }
    #expect(TrainingProgram.targetRows(batch, objective: .ce) == 8)
    #expect(TrainingProgram.targetRows(cyclicBatch(items: 30, size: 8, maxlen: 7, random: &random), objective: .ce) == nil)

    let (all, allGradients) = try lossAndGradients(model, batch)
    let (gathered, gatheredGradients) = try lossAndGradients(model, batch, targetRows: 8)
    #expect(abs(all - gathered) <= 1e-6 * abs(all), "all positions \(all) vs gathered \(gathered)")
    let (largest, worst) = gradientDifference(allGradients, gatheredGradients)
    #expect(largest > 1e-3)
    #expect(worst <= 1e-5 * largest, "largest gradient \(largest), largest difference \(worst)")
  }

  /// Prefix rows of a self-attention model, trained at the last position only (the last
  /// block's queries and feed-forward for one position): the loss and gradients of scoring the
  /// gathered targets, also with auxiliary losses that read whole sequences (MIN's infonce).
  @Test func lastPositionTrainingGivesTheSameLossAndGradients() throws {
    BLAS.threads = 1
    let catalog = plainCatalog(30)
    let id = try Embedding.node(ItemIDs.node(catalog), dim: 8)
    let attention = try SelfAttention.node(SequenceLift.node(id), layers: 2, heads: 2, maxlen: 7, ffn: 16, dropout: 0)
    let sasrec = try Recommender(user: attention, item: id)
    let min = try ScoringConsistencyTests().minLike(GradientFixture.catalog)
    // An auxiliary loss that reads the user value itself: it stays whole and is sliced.
    let readUser = try SelfAttention.node(SequenceLift.node(id), layers: 1, heads: 2, maxlen: 7, ffn: 16, dropout: 0)
    _ = try InfoNCE.node(readUser, try GRU.node(SequenceLift.node(id), hidden: 8))
    let readByLoss = try Recommender(user: readUser, item: id)
    #expect(
      !Lowering.lastPositionValues(readUser, whole: readByLoss.auxiliaryLosses.map(\.node)).contains(ObjectIdentifier(readUser)))
    var random = SeededRandom(seed: 4)
    for (label, model, items, maxlen) in [
      ("selfatt", sasrec, 30, 7), ("MIN-like", min, 6, 4), ("user read by a loss", readByLoss, 30, 7),
    ] {
      model.initialize(seed: 3)
      var batch = cyclicBatch(items: items, size: 8, maxlen: maxlen, random: &random)
      for cell in batch.targets.indices where cell % maxlen != maxlen - 1 { batch.targets[cell] = 0 }
      #expect(TrainingProgram.lastPositionOnly(batch, objective: .ce))
      #expect(model.programKey(batch, objective: .ce).lastPositionOnly)
      #expect(!TrainingProgram.lastPositionOnly(batch, objective: .bce(negatives: 1)))
      let (gathered, gatheredGradients) = try lossAndGradients(model, batch, targetRows: 8)
      let (last, lastGradients) = try lossAndGradients(model, batch, lastPositionOnly: true)
      #expect(abs(gathered - last) <= 1e-5 * abs(gathered), "\(label): gathered \(gathered) vs last position \(last)")
      let (largest, worst) = gradientDifference(gatheredGradients, lastGradients)
      #expect(largest > 1e-3, "\(label)")
      #expect(worst <= 1e-4 * largest, "\(label): largest gradient \(largest), largest difference \(worst)")
    }
    #expect(!TrainingProgram.lastPositionOnly(cyclicBatch(items: 30, size: 8, maxlen: 7, random: &random), objective: .ce))
  }
}
