import LoomGraph
import LoomTensor
import Testing

@testable import LoomLayers

/// A model's training programs, one per batch shape, share one arena (`SharedArena`): training
/// through them on batches of changing width and item-set size gives, bit for bit, the steps of
/// programs that each own their memory, and every shape compiles once.
@Suite(.serialized) struct SharedTrainingArenaTests {
  static func model() throws -> Recommender {
    let catalog = plainCatalog(2000)
    let id = try Embedding.node(ItemIDs.node(catalog), dim: 8)
    let user = try SelfAttention.node(SequenceLift.node(id), layers: 2, heads: 2, maxlen: 20, ffn: 16, dropout: 0.2)
    let model = try Recommender(user: user, item: id)
    model.initialize(seed: 5)
    return model
  }

  @Test func stepsOnMixedShapesMatchProgramsWithTheirOwnMemory() throws {
    BLAS.threads = 1
    var random = SeededRandom(seed: 2)
    // The largest shape first sizes the arena; then widths 10 and 6 and item sets from 256 to
    // all 2001 rows (one negative per target) come in turn, twice.
    let shapes = [(64, 20), (8, 10), (64, 6), (8, 20), (64, 20), (8, 10), (64, 6), (8, 20)]
    let batches = shapes.map { cyclicBatch(items: 2000, size: $0.0, maxlen: $0.1, random: &random) }
    let objective = Objective.bce(negatives: 1)

    let shared = try Self.model()
    let sharedRun = RunState(training: true, seed: 9)
    let sharedAdam = Adam(learningRate: 0.01)
    var sharedLosses: [Float] = []
    for b in batches {
      sharedLosses.append(try shared.trainStep(b, objective: objective, run: sharedRun, optimizer: sharedAdam)[0].value)
    }

    let own = try Self.model()
    let ownRun = RunState(training: true, seed: 9)
    let ownAdam = Adam(learningRate: 0.01)
    var ownLosses: [Float] = []
    for b in batches {
      let key = own.programKey(b, objective: objective)
      let program = try TrainingProgram(
        own, batch: b.size, maxlen: b.maxlen, itemRows: key.itemRows, objective: objective,
        targetRows: key.targetRows, arena: nil)
      try program.feed(b, own.catalog)
      try program.graph.forward(ownRun)
      try program.graph.backward(ownRun)
      ownAdam.update(program.graph.parameters)
      own.parametersChanged()
      ownLosses.append(program.graph.lossValue)
    }

    #expect(sharedLosses.map(\.bitPattern) == ownLosses.map(\.bitPattern), "shared \(sharedLosses) own \(ownLosses)")
    let keys = Set(batches.map { shared.programKey($0, objective: objective) })
    #expect(keys.count == 4)
    #expect(shared.trainingCompilations == keys.count, "each shape compiles once")
    #expect(shared.trainingArena.generation == 1)
    let untrained = try Self.model()
    func values(_ m: Recommender) -> [Float] { Array(m.parameters[0].weight.parameter.value.buffer.prefix(100)) }
    #expect(values(shared) != values(untrained), "the steps changed the weights")
    for (a, b) in zip(shared.parameters, own.parameters) {
      #expect(
        Array(a.weight.parameter.value.buffer.prefix(a.weight.parameter.count))
          == Array(b.weight.parameter.value.buffer.prefix(b.weight.parameter.count)), "\(a.name)")
    }
  }
}
