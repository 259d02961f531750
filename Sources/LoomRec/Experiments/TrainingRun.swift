import LoomGraph
import LoomLayers
import LoomTensor

/// A model together with what carries over from one `fit` to the next: its Adam state (moments
/// and step), the epochs it has trained and a one-line account of how. `fit`, `resume` and
/// `autosave` are this type's, so the language, `compare`, a kernel or a data-parallel driver
/// all train a model the same way, without an interpreter.
public final class TrainingRun {
  public enum Model {
    case neural(Recommender)
    case popularity(PopularityModel)
  }
  public let model: Model
  public private(set) var optimizer: Adam?
  /// The epoch whose parameters the model holds (the best validated one after early stopping).
  public private(set) var epochs = 0
  /// How it was trained ("windows instances, ...; ce (full softmax); 7 epochs"), printed in
  /// every evaluation report's protocol; nil while untrained.
  public private(set) var training: String?

  public init(_ model: Model) { self.model = model }

  /// Adam's step count (0 before any training), as a checkpoint records it.
  public var optimizerStep: Int { optimizer?.step ?? 0 }

  public var ranking: any RankingModel {
    switch model {
    case .neural(let r): return r
    case .popularity(let p): return p
    }
  }
  public var recommender: Recommender? {
    if case .neural(let r) = model { return r }
    return nil
  }

  /// The sequence length used when none is given: the model's own (the fewest positions any of
  /// its self-attention layers has), else `TrainingSettings`' default, the papers' 50.
  public var naturalMaxlen: Int {
    recommender.flatMap { r in r.layers.compactMap { ($0 as? SelfAttention)?.maxlen }.min() } ?? TrainingSettings().maxlen
  }

  /// Where a `fit` writes its state after every epoch (`fit(..., autosave:)`): the checkpoint
  /// records `call`, the model's source call, so that it can be rebuilt.
  public struct Autosave {
    public var path: String
    public var call: String
    public init(path: String, call: String) { (self.path, self.call) = (path, call) }
  }

  /// An autosave that could not be written: which file and why.
  public struct AutosaveFailure: Error {
    public let path: String
    public let failure: CheckpointError
  }

  /// Trains `settings.epochs` more epochs (or, resuming, up to `settings.epochs` in all).
  ///
  /// - A model trained before goes on from its epoch with its Adam state; an untrained one is
  ///   initialised from `settings.seed` first.
  /// - `resume`: a saved model (`save`) or an autosaved state; an autosave continues exactly
  ///   where it stopped, early stopping's best epoch and patience included.
  /// - `progress` hears every batch and epoch, and as notes the line that opens the run ("fit
  ///   CALL after epoch 3: settings"), where a resumed run picks up, and the closing summary.
  public func fit(
    _ split: Split, settings: TrainingSettings, call: String, resume: String? = nil, autosave: Autosave? = nil,
    progress: @escaping (TrainingEvent) -> Void = { _ in }, shouldStop: @escaping () -> Bool = { false }
  ) throws -> TrainingHistory {
    let announce = { (line: String) in progress(.note(line)) }
    var s = settings
    let recommender: Recommender
    switch model {
    case .neural(let neural): recommender = neural
    case .popularity(let pop):
      pop.fit(split)
      epochs = 1
      training = "training-split item counts"
      return TrainingHistory(settings: s, instances: "counts of training interactions")
    }
    if let threads = s.threads { BLAS.threads = threads }
    var resumedState: TrainingState? = nil
    if let resume {
      let checkpoint = try Checkpoint.read(from: resume)
      let optimizer = makeOptimizer(s)
      if TrainingState.isState(checkpoint) {
        let state = try TrainingState.restore(checkpoint, into: recommender, optimizer: optimizer, settings: s, file: resume)
        resumedState = state
        let best = state.best.map { String(format: ", best %@ %.4f at epoch %d", s.metric, $0.value, $0.epoch) } ?? ""
        announce("resuming \(call) from \(resume) after epoch \(state.epoch)\(best)")
      } else {
        // A saved model: its parameters, Adam moments and step, and its epoch count.
        try checkpoint.apply(to: recommender, optimizer: optimizer, file: resume)
        announce("resuming \(call) from \(resume) after epoch \(checkpoint.epoch)")
      }
      self.optimizer = optimizer
      epochs = checkpoint.epoch
      // Train the epochs that remain up to `epochs`.
      s.epochs = max(0, s.epochs - checkpoint.epoch)
    } else if !recommender.trained || optimizer == nil {
      recommender.initialize(seed: s.seed)
      optimizer = makeOptimizer(s)
      epochs = 0
    }
    guard let optimizer else { preconditionFailure("an optimizer exists after the branches above") }
    optimizer.learningRate = s.learningRate
    optimizer.weightDecay = s.l2
    optimizer.clipNorm = s.clipNorm

    // A continued run says where it picks up: "fit CALL after epoch 3: 3 epochs, ..." trains 4 to 6.
    announce("fit \(call)\(epochs > 0 ? " after epoch \(epochs)" : ""): \(s)")
    var trainer = Trainer(settings: s, progress: progress, shouldStop: shouldStop)
    if let autosave {
      let dataName = recommender.catalog.name
      trainer.afterEpoch = { state in
        do {
          try state.checkpoint(of: recommender, call: autosave.call, dataName: dataName).write(to: autosave.path)
        } catch let failure as CheckpointError {
          throw AutosaveFailure(path: autosave.path, failure: failure)
        }
      }
    }
    let history = try trainer.fit(recommender, split: split, optimizer: optimizer, startEpoch: epochs, resuming: resumedState)
    epochs = history.bestEpoch ?? history.records.last?.epoch ?? epochs
    let negatives = s.objective == .ce ? "" : ", \(s.sampler.rawValue) negatives"
    training = "\(history.instances); \(s.objective)\(negatives); \(epochs) epoch\(epochs == 1 ? "" : "s")"
    announce("\(history.summary); \(history.instances)")
    return history
  }

  /// Loads a saved model's parameters, Adam state and epoch count (`restore(path, data)`).
  public func restore(_ checkpoint: Checkpoint, file: String) throws {
    guard let recommender else { return }
    let optimizer = Adam()
    try checkpoint.apply(to: recommender, optimizer: optimizer, file: file)
    self.optimizer = optimizer
    epochs = checkpoint.epoch
  }

  /// Scores `protocol`'s cases of `split` with this model (`evaluate`), as trained: the report's
  /// protocol carries `training`.
  public func evaluate(
    _ split: Split, protocol setup: EvaluationProtocol, metrics: [String], byLength: Bool = false
  ) throws -> EvaluationReport {
    var setup = setup
    setup.training = training
    return try Evaluator.evaluate(
      split: split, protocol: setup, metrics: metrics, byLength: byLength,
      score: ranking.scorer(maxlen: setup.maxlen, lengthBuckets: byLength))
  }

  private func makeOptimizer(_ s: TrainingSettings) -> Adam {
    Adam(learningRate: s.learningRate, weightDecay: s.l2, clipNorm: s.clipNorm)
  }
}
