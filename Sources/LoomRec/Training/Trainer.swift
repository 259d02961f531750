import Foundation
import LoomGraph
import LoomLayers
import LoomTensor

/// Progress of a `fit`, for a progress bar on a terminal or one line per epoch elsewhere.
public enum TrainingEvent: Sendable {
  case epochStarted(epoch: Int, epochs: Int, batches: Int)
  case batchFinished(epoch: Int, batch: Int, batches: Int, sequences: Int, meanLoss: Double, seconds: Double)
  case epochFinished(EpochRecord, improved: Bool)
  case note(String)
}

/// Trains a recommender with Adam: every position of every training instance is a target,
/// validation after each epoch, early stopping that restores the best epoch, a stop between
/// batches when asked (Ctrl-C) keeping the best parameters so far, and a non-finite loss
/// stopping with the op that produced it while keeping the last good parameters.
public struct Trainer {
  public var settings: TrainingSettings
  public var progress: (TrainingEvent) -> Void
  /// Polled after every batch; true stops the run cleanly.
  public var shouldStop: () -> Bool
  /// Called after every finished epoch (validated, before early stopping's check) with the run's
  /// state, e.g. to write it to disk (`fit(..., autosave:)`); an interrupted epoch is not reported.
  public var afterEpoch: ((TrainingState) throws -> Void)? = nil
  /// The processes training together: under mpirun every rank runs this same fit on its shard
  /// of each batch (`DataParallelStep`) and validation shards its users.
  public var processes: any ProcessGroup = Processes.world
  /// Check after every data-parallel step that all ranks hold identical parameters
  /// (`DataParallelStep.checkReplicas`); on when the environment has LOOM_CHECK_REPLICAS=1.
  public var checkReplicas = ProcessInfo.processInfo.environment["LOOM_CHECK_REPLICAS"] == "1"

  public init(
    settings: TrainingSettings, progress: @escaping (TrainingEvent) -> Void = { _ in },
    shouldStop: @escaping () -> Bool = { false }
  ) {
    self.settings = settings
    self.progress = progress
    self.shouldStop = shouldStop
  }

  /// The validation protocol: full ranking at the metric's K on the validation split.
  public func validationProtocol(_ split: Split) throws -> EvaluationProtocol {
    let k = try MetricName(parsing: settings.metric).k
    return EvaluationProtocol(
      split: split.kind, part: .valid, cutoffs: [k], excludeHistory: settings.excludeHistory,
      maxlen: settings.maxlen)
  }

  /// Trains `settings.epochs` epochs after `startEpoch`, or, `resuming` a saved state, after the
  /// state's epoch with its records, best epoch and patience counter (the model and optimiser
  /// are set to the state's parameters).
  public func fit(
    _ model: Recommender, split: Split, optimizer: Adam, startEpoch: Int = 0,
    resuming state: TrainingState? = nil
  ) throws -> TrainingHistory {
    let s = settings
    guard s.epochs >= 0, s.batch > 0, s.maxlen > 0 else {
      throw TrainingError("epochs must be ≥ 0, and batch and maxlen positive")
    }
    let instances = try TrainingInstances(
      split: split, mode: s.mode, maxlen: s.maxlen,
      foldPrefixes: s.foldPrefixes ?? model.prefixesFoldExactly)
    var history = TrainingHistory(settings: s, instances: instances.description)
    history.settings.foldPrefixes = instances.foldPrefixes  // the decision taken, not "automatic"
    guard !instances.rows.isEmpty else { throw TrainingError("the training split has no sequence with a target") }
    let sampler = NegativeSampler(
      kind: s.sampler, itemCount: split.itemCount, counts: instances.itemCounts(itemCount: split.itemCount))
    let n = s.objective.negatives
    let run = RunState(training: true, seed: s.seed)
    var random = DataRandom(seed: s.seed)
    let validation = s.validate && !split.valid.isEmpty ? try validationProtocol(split) : nil

    var best: (value: Double, epoch: Int, snapshot: ParameterSnapshot)? = nil
    var sinceBest = 0
    var startEpoch = startEpoch
    var lastEpoch = startEpoch + s.epochs
    if let state {
      guard state.settingsKey == TrainingState.resumeKey(s) else {
        throw TrainingError(
          "the saved state was trained with other settings (\(state.settingsKey)) than this run (\(TrainingState.resumeKey(s)))")
      }
      state.current.restore(into: model, optimizer: optimizer)
      startEpoch = state.epoch
      lastEpoch = startEpoch + s.epochs
      history.records = state.records
      if let b = state.best, let snapshot = state.bestSnapshot { best = (b.value, b.epoch, snapshot) }
      sinceBest = state.sinceBest
      // Saved after the epoch that exhausted the patience: the run had already stopped.
      if let patience = s.patience, validation != nil, sinceBest >= patience {
        history.stop = .earlyStopped(patience: patience)
        lastEpoch = startEpoch
      }
    }
    let parallel = processes.isDistributed ? try DataParallelStep(group: processes, model: model) : nil
    if parallel != nil { try DataParallelStep.synchronize(model, optimizer, group: processes) }
    var lastGood = ParameterSnapshot(model, optimizer)
    epochs: for epoch in stride(from: startEpoch + 1, through: lastEpoch, by: 1) {
      let started = monotonicSeconds()
      // Every random stream restarts from (seed, epoch): a run resumed from a checkpoint at
      // epoch e draws exactly what the uninterrupted run drew from epoch e + 1 on.
      let epochSeed = Self.epochSeed(s.seed, epoch)
      // Each rank draws its own dropout masks (rank 0 the single process's).
      run.random = SeededRandom(seed: processes.rank == 0 ? epochSeed : Self.epochSeed(epochSeed, processes.rank))
      random = DataRandom(seed: epochSeed &+ 1)
      let batches = instances.batches(size: s.batch, seed: epochSeed &+ 2, padding: .left, byLength: s.lengthBuckets)
      progress(.epochStarted(epoch: epoch, epochs: startEpoch + s.epochs, batches: batches.batchCount))
      // Each loss term's sum over the epoch's batches, in the order the terms first appeared.
      var sums: [(name: String, total: Double)] = []
      var count = 0
      var sequences = 0
      lastGood = ParameterSnapshot(model, optimizer)
      for (index, b) in batches.enumerated() {
        let batch = SequenceBatch(
          size: b.size, maxlen: b.maxlen, inputs: b.inputs, targets: b.targets,
          negatives: n > 0 ? sampler.negatives(for: b.targets, perTarget: n, using: &random) : [], negativesPerTarget: n)
        let terms: [(name: String, value: Float)]
        var stopAfterBatch = false
        do {
          if let parallel {
            // The ranks decide together whether to stop, so that all stop after the same batch.
            (terms, stopAfterBatch) = try parallel.step(
              batch, objective: s.objective, run: run, optimizer: optimizer, stopRequested: shouldStop())
            if checkReplicas { try DataParallelStep.checkReplicas(model, group: processes, step: optimizer.step) }
          } else {
            terms = try model.trainStep(batch, objective: s.objective, run: run, optimizer: optimizer)
          }
        } catch let GraphError.nonFinite(op, scope, shapes) {
          let kept: String
          if let best {
            best.snapshot.restore(into: model, optimizer: optimizer)
            kept = "kept the parameters of epoch \(best.epoch), the best validated"
          } else {
            lastGood.restore(into: model, optimizer: optimizer)
            kept = "kept the parameters from the start of epoch \(epoch)"
          }
          let message =
            "the loss became NaN or infinite in epoch \(epoch), batch \(index + 1): first produced by \(op) \(shapes)"
            + (scope.isEmpty ? "" : " in \(scope)") + "; " + kept
          history.stop = .nonFinite(epoch: epoch, message: message)
          progress(.note(message))
          break epochs
        }
        for t in terms {
          if let i = sums.firstIndex(where: { $0.name == t.name }) {
            sums[i].total += Double(t.value)
          } else {
            sums.append((t.name, Double(t.value)))
          }
        }
        count += 1
        sequences += b.size
        progress(
          .batchFinished(
            epoch: epoch, batch: index + 1, batches: batches.batchCount, sequences: sequences,
            meanLoss: (sums.first(where: { $0.name == "loss" })?.total ?? .nan) / Double(count),
            seconds: monotonicSeconds() - started))
        if parallel == nil ? shouldStop() : stopAfterBatch {
          history.stop = .interrupted(epoch: epoch)
          break
        }
      }
      var record = EpochRecord(
        epoch: epoch, losses: sums.map { ($0.name, $0.total / Double(max(count, 1))) },
        validation: [:], seconds: monotonicSeconds() - started, sequences: sequences)
      if case .interrupted = history.stop {
        history.records.append(record)
        break
      }
      var improved = false
      if let validation {
        let report = try Evaluator.evaluate(
          split: split, protocol: validation, metrics: [s.metric], byLength: Evaluator.scoresByLengthByDefault,
          processes: processes, score: model.scorer(maxlen: s.maxlen, lengthBuckets: Evaluator.scoresByLengthByDefault))
        let value = report[s.metric] ?? 0
        record.validation[s.metric] = value
        if best.map({ value > $0.value }) ?? true {
          best = (value, epoch, ParameterSnapshot(model, optimizer))
          improved = true
          sinceBest = 0
        } else {
          sinceBest += 1
        }
      }
      record.seconds = monotonicSeconds() - started
      history.records.append(record)
      progress(.epochFinished(record, improved: improved))
      if let afterEpoch {
        try afterEpoch(
          TrainingState(
            epoch: epoch, records: history.records, best: best.map { ($0.value, $0.epoch) }, sinceBest: sinceBest,
            settingsKey: TrainingState.resumeKey(s), current: ParameterSnapshot(model, optimizer), bestSnapshot: best?.snapshot))
      }
      if let patience = s.patience, sinceBest >= patience, validation != nil {
        history.stop = .earlyStopped(patience: patience)
        break
      }
    }
    model.trained = true
    if let best {
      // Early stopping, an interruption or a later worse epoch: keep the best validated epoch.
      if case .nonFinite = history.stop {
        // already restored above
      } else if best.epoch != history.records.last?.epoch || history.stop != .completed {
        best.snapshot.restore(into: model, optimizer: optimizer)
      }
      history.bestEpoch = best.epoch
    }
    return history
  }
}

extension Trainer {
  /// A well-mixed seed per (run seed, epoch) (SplitMix64's finaliser).
  static func epochSeed(_ seed: UInt64, _ epoch: Int) -> UInt64 {
    var z = seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

public struct TrainingError: Error, CustomStringConvertible, Equatable {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// A copy of every parameter value (and Adam moment) of a model, to come back to.
struct ParameterSnapshot {
  var values: [[Float]]
  var moments: [([Float], [Float])]
  var step: Int

  init(_ model: Recommender, _ optimizer: Adam) {
    step = optimizer.step
    values = model.trainableParameters.map { Array($0.value.buffer.prefix($0.count)) }
    moments = model.trainableParameters.map {
      (Array($0.moment1.buffer.prefix($0.count)), Array($0.moment2.buffer.prefix($0.count)))
    }
  }

  func restore(into model: Recommender, optimizer: Adam) {
    optimizer.step = step
    for (k, p) in model.trainableParameters.enumerated() {
      for (source, target) in [(values[k], p.value), (moments[k].0, p.moment1), (moments[k].1, p.moment2)] {
        source.withUnsafeBufferPointer { source in
          guard let start = source.baseAddress else { return }  // an empty parameter
          target.pointer.update(from: start, count: p.count)
        }
      }
    }
    model.parametersChanged()
  }
}
