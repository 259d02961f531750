import Foundation
import LoomGraph
import LoomLayers
import LoomTensor
import Testing

@testable import LoomRec

/// A run resumed from the state it saved after any epoch (`Trainer.afterEpoch`, through the file
/// format) ends bit for bit where the uninterrupted run ends: the same records, best epoch, stop
/// and parameters, early stopping included. A state is refused by a run with other settings, and
/// a saved model is not taken for a state.
@Suite(.serialized) struct TrainingStateTests {
  let data = try! Dataset.synthetic(users: 150, items: 120, seed: 5)

  func gru4rec(seed: UInt64) throws -> Recommender {
    let catalog = data.itemCatalog()
    let id = try Embedding.node(ItemIDs.node(catalog), dim: 8)
    let model = try Recommender(user: try GRU.node(SequenceLift.node(id), hidden: 8), item: id)
    model.initialize(seed: seed)
    return model
  }

  /// A large step, so that validation rises, falls and patience 2 stops the run early.
  func settings(epochs: Int) -> TrainingSettings {
    var s = TrainingSettings()
    s.epochs = epochs
    s.batch = 32
    s.learningRate = 0.05
    s.maxlen = 20
    s.seed = 3
    s.patience = 2
    return s
  }

  func values(_ model: Recommender) -> [[Float]] { model.trainableParameters.map { Array($0.value.buffer.prefix($0.count)) } }

  @Test func everyEpochsStateResumesToTheSameEnd() throws {
    BLAS.threads = 1
    let split = Split.leaveOneOut(data)
    let whole = try gru4rec(seed: 3)
    let wholeAdam = Adam(learningRate: 0.05)
    var trainer = Trainer(settings: settings(epochs: 40))
    var saved: [[UInt8]] = []
    trainer.afterEpoch = { state in
      saved.append(try state.checkpoint(of: whole, call: "GRU4Rec(data, dim: 8)", dataName: data.name).encoded())
    }
    let wholeHistory = try trainer.fit(whole, split: split, optimizer: wholeAdam)
    #expect(wholeHistory.stop == .earlyStopped(patience: 2), "the test needs a run that stops early")
    #expect(saved.count == wholeHistory.records.count)
    #expect(saved.count >= 4, "states before, at and after the best epoch")

    for (k, bytes) in saved.enumerated() {
      let resumed = try gru4rec(seed: 99)
      let adam = Adam(learningRate: 0.05)
      let checkpoint = try Checkpoint(decoding: bytes)
      #expect(TrainingState.isState(checkpoint))
      let state = try TrainingState.restore(
        checkpoint, into: resumed, optimizer: adam, settings: settings(epochs: 40), file: "state")
      #expect(state.epoch == k + 1)
      let history = try Trainer(settings: settings(epochs: 40 - state.epoch)).fit(
        resumed, split: split, optimizer: adam, resuming: state)
      #expect(history.records.map(\.epoch) == wholeHistory.records.map(\.epoch), "resumed after epoch \(k + 1)")
      #expect(history.records.map { $0.losses.map(\.value) } == wholeHistory.records.map { $0.losses.map(\.value) })
      #expect(history.records.map(\.validation) == wholeHistory.records.map(\.validation))
      // Seconds of the epochs before the interruption are the saved ones.
      #expect(history.records.prefix(k + 1).map(\.seconds) == wholeHistory.records.prefix(k + 1).map(\.seconds))
      #expect(history.bestEpoch == wholeHistory.bestEpoch)
      #expect(history.stop == wholeHistory.stop)
      #expect(adam.step == wholeAdam.step)
      #expect(values(resumed) == values(whole), "resumed after epoch \(k + 1)")
    }
  }

  @Test func aStateIsRefusedByOtherSettingsAndLeavesTheModelAlone() throws {
    BLAS.threads = 1
    let split = Split.leaveOneOut(data)
    let model = try gru4rec(seed: 3)
    var trainer = Trainer(settings: settings(epochs: 2))
    var last: Checkpoint? = nil
    trainer.afterEpoch = { last = try $0.checkpoint(of: model, call: "GRU4Rec(data, dim: 8)", dataName: data.name) }
    _ = try trainer.fit(model, split: split, optimizer: Adam(learningRate: 0.05))
    let state = try #require(last)
    #expect(state.epoch == 2)

    let fresh = try gru4rec(seed: 7)
    let before = values(fresh)
    var other = settings(epochs: 5)
    other.learningRate = 0.01
    #expect(throws: CheckpointError.self) {
      _ = try TrainingState.restore(state, into: fresh, optimizer: Adam(), settings: other, file: "state")
    }
    do {
      _ = try TrainingState.restore(state, into: fresh, optimizer: Adam(), settings: other, file: "state")
    } catch let error as CheckpointError {
      #expect(error.kind == .settingsMismatch)
      #expect(error.message.contains("lr 0.05 there, lr 0.01 here"))
    }
    // Only the number of epochs may differ.
    let longer = settings(epochs: 30)
    #expect(throws: Never.self) {
      _ = try TrainingState.restore(state, into: try gru4rec(seed: 7), optimizer: Adam(), settings: longer, file: "state")
    }
    #expect(values(fresh) == before)

    // A saved model is not a state.
    let saved = Checkpoint(capturing: model, source: "", call: "GRU4Rec(data, dim: 8)", dataName: data.name, epoch: 2)
    #expect(!TrainingState.isState(saved))
    do {
      _ = try TrainingState.restore(saved, into: fresh, optimizer: Adam(), settings: settings(epochs: 5), file: "model.ckpt")
      Issue.record("a saved model was taken for a training state")
    } catch let error as CheckpointError {
      #expect(error.kind == .notATrainingState)
    }
    #expect(values(fresh) == before)
  }
}
