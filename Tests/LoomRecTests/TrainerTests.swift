import LoomGraph
import LoomLayers
import LoomTensor
import Testing

@testable import LoomRec

/// The trainer's promises: the best validated epoch is what the model holds afterwards, a stop
/// request keeps the best parameters so far, a non-finite loss stops cleanly with finite
/// parameters, and a run resumed from a checkpoint ends bit for bit where the uninterrupted run
/// ends (on one BLAS thread).
@Suite(.serialized) struct TrainerTests {
  let data = try! Dataset.synthetic(users: 150, items: 120, seed: 5)

  func gru4rec(_ catalog: ItemCatalog) throws -> Recommender {
    let id = try Embedding.node(ItemIDs.node(catalog), dim: 8)
    return try Recommender(user: try GRU.node(SequenceLift.node(id), hidden: 8), item: id)
  }

  func settings(epochs: Int, lr: Float = 0.01) -> TrainingSettings {
    var s = TrainingSettings()
    s.epochs = epochs
    s.batch = 32
    s.learningRate = lr
    s.maxlen = 20
    s.seed = 3
    // These tests were written for MIN eq. 2's objective; fit's default became the softmax.
    s.objective = .bce(negatives: 1)
    return s
  }

  func validation(_ model: Recommender, _ split: Split, _ s: TrainingSettings) throws -> Double {
    let report = try Evaluator.evaluate(
      split: split, protocol: try Trainer(settings: s).validationProtocol(split),
      metrics: [s.metric], score: model.scorer(maxlen: s.maxlen))
    return report[s.metric]!
  }

  func values(_ model: Recommender) -> [[Float]] { model.trainableParameters.map { Array($0.value.buffer.prefix($0.count)) } }

  @Test func theModelHoldsTheBestValidatedEpoch() throws {
    BLAS.threads = 1
    let split = Split.leaveOneOut(data)
    let model = try gru4rec(data.itemCatalog())
    model.initialize(seed: 3)
    let s = settings(epochs: 8, lr: 0.05)  // a large step: validation rises, then falls
    let history = try Trainer(settings: s).fit(model, split: split, optimizer: Adam(learningRate: s.learningRate))
    let best = try #require(history.bestEpoch)
    let bestValue = history.records.first { $0.epoch == best }!.validation[s.metric]!
    #expect(bestValue == history.records.compactMap { $0.validation[s.metric] }.max())
    #expect(try validation(model, split, s) == bestValue)
  }

  @Test func earlyStoppingStopsAndRestores() throws {
    BLAS.threads = 1
    let split = Split.leaveOneOut(data)
    let model = try gru4rec(data.itemCatalog())
    model.initialize(seed: 3)
    var s = settings(epochs: 40, lr: 0.05)
    s.patience = 2
    let history = try Trainer(settings: s).fit(model, split: split, optimizer: Adam(learningRate: s.learningRate))
    #expect(history.stop == .earlyStopped(patience: 2))
    #expect(history.records.count < 40)
    #expect(history.records.count == history.bestEpoch! + 2)
    let bestValue = history.records.first { $0.epoch == history.bestEpoch }!.validation[s.metric]!
    #expect(try validation(model, split, s) == bestValue)
  }

  @Test func aStopRequestKeepsTheBestParametersSoFar() throws {
    BLAS.threads = 1
    let split = Split.leaveOneOut(data)
    let model = try gru4rec(data.itemCatalog())
    model.initialize(seed: 3)
    let s = settings(epochs: 5)
    var position = (epoch: 0, batch: 0)
    // Stop after the second batch of epoch 2.
    let trainer = Trainer(
      settings: s, progress: { if case .batchFinished(let e, let b, _, _, _, _) = $0 { position = (e, b) } },
      shouldStop: { position == (2, 2) })
    let history = try trainer.fit(model, split: split, optimizer: Adam(learningRate: s.learningRate))
    #expect(history.stop == .interrupted(epoch: 2))
    #expect(history.bestEpoch == 1)
    #expect(try validation(model, split, s) == history.records[0].validation[s.metric]!)
  }

  @Test func aNonFiniteLossStopsWithFiniteParameters() throws {
    BLAS.threads = 1
    let split = Split.leaveOneOut(data)
    let model = try gru4rec(data.itemCatalog())
    model.initialize(seed: 3)
    var s = settings(epochs: 3, lr: 1e30)
    s.validate = false
    let history = try Trainer(settings: s).fit(model, split: split, optimizer: Adam(learningRate: s.learningRate))
    guard case .nonFinite(let epoch, let message) = history.stop else {
      Issue.record("expected a non-finite stop, got \(history.stop)")
      return
    }
    #expect(epoch == 1)
    #expect(message.contains("epoch 1"))
    #expect(message.contains("first produced by"))
    #expect(values(model).allSatisfy { $0.allSatisfy(\.isFinite) })
  }

  @Test func aResumedRunEqualsTheUninterruptedRun() throws {
    BLAS.threads = 1
    let split = Split.leaveOneOut(data)
    let s4 = settings(epochs: 4)
    let whole = try gru4rec(data.itemCatalog())
    whole.initialize(seed: 3)
    let wholeAdam = Adam(learningRate: s4.learningRate)
    _ = try Trainer(settings: s4).fit(whole, split: split, optimizer: wholeAdam)

    let first = try gru4rec(data.itemCatalog())
    first.initialize(seed: 3)
    let firstAdam = Adam(learningRate: s4.learningRate)
    _ = try Trainer(settings: settings(epochs: 2)).fit(first, split: split, optimizer: firstAdam)
    // Through the checkpoint format, into a fresh model with a fresh optimiser.
    let bytes = try Checkpoint(
      capturing: first, source: "", call: "", dataName: data.name, epoch: 2, optimizerStep: firstAdam.step
    ).encoded()
    let resumed = try gru4rec(data.itemCatalog())
    resumed.initialize(seed: 99)
    let resumedAdam = Adam(learningRate: s4.learningRate)
    try Checkpoint(decoding: bytes).apply(to: resumed, optimizer: resumedAdam)
    _ = try Trainer(settings: settings(epochs: 2)).fit(resumed, split: split, optimizer: resumedAdam, startEpoch: 2)

    #expect(resumedAdam.step == wholeAdam.step)
    #expect(values(resumed) == values(whole))
  }
}
