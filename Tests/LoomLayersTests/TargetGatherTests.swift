import Testing
import LoomGraph
import LoomTensor
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
}
