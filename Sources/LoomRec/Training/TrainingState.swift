import Foundation
import LoomGraph
import LoomLayers

/// Where a run stands after a finished epoch: everything `Trainer.fit` needs to go on as if it
/// had never stopped. A model checkpoint (`save`) holds the parameters and Adam's state, which
/// is enough to train further but not to finish a run with early stopping the same way: that
/// also needs the best validated epoch's parameters (restored at the end), the epochs since it
/// (patience) and the records so far (seconds per epoch, the history `fit` returns). With these,
/// and every random stream reseeded from (seed, epoch) (`Trainer.epochSeed`), a run resumed
/// from its state ends bit for bit where the uninterrupted run ends (on one BLAS thread).
public struct TrainingState {
  /// Epochs completed.
  public var epoch: Int
  public var records: [EpochRecord]
  /// The best validation value so far and its epoch.
  public var best: (value: Double, epoch: Int)?
  /// Epochs since the best one (early stopping's counter).
  public var sinceBest: Int
  /// What must not change between the run that saved the state and the one that resumes it:
  /// every setting except the number of epochs (see `resumeKey(_:)`).
  public var settingsKey: String
  var current: ParameterSnapshot
  var bestSnapshot: ParameterSnapshot?

  /// Every training setting that shapes a run's trajectory, the number of epochs aside: a run
  /// saved at epoch 3 of 8 may be continued to 8 or to 20.
  public static func resumeKey(_ s: TrainingSettings) -> String {
    var key = s
    key.epochs = 0
    return
      "\(key); metric \(s.metric); patience \(s.patience.map(String.init) ?? "none"); clip \(s.clipNorm.map { "\($0)" } ?? "none"); "
      + "validate \(s.validate); fold \(s.foldPrefixes.map { "\($0)" } ?? "automatic"); exclude history \(s.excludeHistory)"
  }
}

/// The state in a file: a `Checkpoint` (same layout, checksum and atomic write) whose parameters
/// are the current ones followed by the best epoch's under `best/` names, and whose metadata
/// carries the bookkeeping as JSON under `training state`.
extension TrainingState {
  static let metadataKey = "training state"
  static let bestPrefix = "best/"

  /// The bookkeeping that is not parameters, as stored in the checkpoint's metadata.
  struct Bookkeeping: Codable {
    struct Record: Codable {
      var epoch: Int
      var lossNames: [String]
      var lossValues: [Double]
      var validation: [String: Double]
      var seconds: Double
      var sequences: Int
    }
    var records: [Record]
    var bestValue: Double?
    var bestEpoch: Int?
    var bestStep: Int?
    var sinceBest: Int
    var settings: String
  }

  /// Whether a checkpoint holds a training state rather than a saved model.
  public static func isState(_ checkpoint: Checkpoint) -> Bool { checkpoint.metadata[metadataKey] != nil }

  /// The state as a checkpoint of `model`, ready for `Checkpoint.write(to:)`.
  public func checkpoint(of model: Recommender, call: String, dataName: String) throws -> Checkpoint {
    let names = model.parameters.map(\.name)
    func states(_ snapshot: ParameterSnapshot, prefix: String) -> [Checkpoint.ParameterState] {
      zip(names, model.trainableParameters).enumerated().map { k, named in
        Checkpoint.ParameterState(
          name: prefix + named.0, shape: named.1.shape.dims, values: snapshot.values[k],
          moment1: snapshot.moments[k].0, moment2: snapshot.moments[k].1)
      }
    }
    let bookkeeping = Bookkeeping(
      records: records.map {
        .init(
          epoch: $0.epoch, lossNames: $0.losses.map(\.name), lossValues: $0.losses.map(\.value),
          validation: $0.validation, seconds: $0.seconds, sequences: $0.sequences)
      },
      bestValue: best?.value, bestEpoch: best?.epoch, bestStep: bestSnapshot?.step, sinceBest: sinceBest, settings: settingsKey)
    let json = String(decoding: try Self.encoder.encode(bookkeeping), as: UTF8.self)
    return Checkpoint(
      modelSource: "", modelCall: call, dataName: dataName, itemCount: model.catalog.itemCount, epoch: epoch,
      optimizerStep: current.step, bestEpoch: best?.epoch, metadata: [Self.metadataKey: json],
      parameters: states(current, prefix: "") + (bestSnapshot.map { states($0, prefix: Self.bestPrefix) } ?? []))
  }

  /// Reads a state back, checked against the model (every parameter present with its shape) and
  /// the settings of the run that resumes it. On success `model` and `optimizer` hold the state's
  /// current parameters and step; on failure they are untouched.
  public static func restore(
    _ checkpoint: Checkpoint, into model: Recommender, optimizer: Adam, settings: TrainingSettings, file: String
  ) throws -> TrainingState {
    guard let json = checkpoint.metadata[metadataKey] else {
      throw CheckpointError(
        .notATrainingState, file: file, "the file is a saved model, not a training state",
        help: "fit(model, data, resume: \"\(file)\") continues from a saved model's epoch")
    }
    let bookkeeping: Bookkeeping
    do {
      bookkeeping = try decoder.decode(Bookkeeping.self, from: Data(json.utf8))
    } catch {
      throw CheckpointError(
        .headerUnreadable, file: file, "the training state's bookkeeping cannot be read (\(error))",
        help: "the file is damaged; delete it to train afresh")
    }
    let key = resumeKey(settings)
    guard bookkeeping.settings == key else {
      throw CheckpointError(
        .settingsMismatch, file: file,
        "the training state was saved with other settings: \(difference(saved: bookkeeping.settings, now: key))",
        help: "resume with the settings of the saved run (only epochs may differ), or delete the file to train afresh")
    }
    var current = checkpoint
    current.parameters = checkpoint.parameters.filter { !$0.name.hasPrefix(bestPrefix) }
    var bestOnes = checkpoint
    bestOnes.parameters = checkpoint.parameters.filter { $0.name.hasPrefix(bestPrefix) }.map {
      var p = $0
      p.name.removeFirst(bestPrefix.count)
      return p
    }
    var bestSnapshot: ParameterSnapshot? = nil
    if bookkeeping.bestEpoch != nil {
      // The best epoch's parameters must be the current ones' names and shapes, so that once
      // they pass `apply`'s checks the current ones do too and the model is never left half
      // restored. They are copied through the model into a snapshot, then the current ones go on top.
      guard
        bestOnes.parameters.map({ [$0.name] + $0.shape.map(String.init) })
          == current.parameters.map({ [$0.name] + $0.shape.map(String.init) })
      else {
        throw CheckpointError(
          .headerUnreadable, file: file, "the training state's best parameters do not match its current ones",
          help: "the file is damaged; delete it to train afresh")
      }
      try bestOnes.apply(to: model, optimizer: optimizer, file: file)
      var snapshot = ParameterSnapshot(model, optimizer)
      snapshot.step = bookkeeping.bestStep ?? 0
      bestSnapshot = snapshot
    }
    try current.apply(to: model, optimizer: optimizer, file: file)
    return TrainingState(
      epoch: checkpoint.epoch,
      records: bookkeeping.records.map {
        EpochRecord(
          epoch: $0.epoch, losses: Array(zip($0.lossNames, $0.lossValues)).map { (name: $0.0, value: $0.1) },
          validation: $0.validation, seconds: $0.seconds, sequences: $0.sequences)
      },
      best: bookkeeping.bestValue.flatMap { v in bookkeeping.bestEpoch.map { (v, $0) } },
      sinceBest: bookkeeping.sinceBest, settingsKey: bookkeeping.settings,
      current: ParameterSnapshot(model, optimizer), bestSnapshot: bestSnapshot)
  }

  /// "batch 32 there, batch 16 here": the settings that differ, or both keys when their parts do
  /// not line up (e.g. another loss, which adds or drops the sampler).
  static func difference(saved: String, now: String) -> String {
    func parts(_ key: String) -> [String] {
      key.split(whereSeparator: { $0 == "," || $0 == ";" }).map { $0.trimmingCharacters(in: .whitespaces) }
    }
    let a = parts(saved)
    let b = parts(now)
    guard a.count == b.count else { return "\(saved) there; \(now) here" }
    return zip(a, b).filter { $0 != $1 }.map { "\($0) there, \($1) here" }.joined(separator: "; ")
  }

  private static let encoder = NaNTolerantJSON.encoder()
  private static let decoder = NaNTolerantJSON.decoder()
}
