import Foundation
import LoomGraph
import LoomLayers
import LoomRec
import LoomTensor

/// `fit(model, data, ...)`: settings from the arguments, a progress bar on a terminal (batches,
/// sequences per second, running loss, time left) or one line per epoch elsewhere.
enum Fit {
  static func run(_ a: CallArguments, _ context: CallContext, _ environment: StandardEnvironment) throws -> Value {
    let (model, data) = try TrainingBuiltins.modelAndData(a)
    let split = try data.split()
    if case .popularity(let pop) = model.kind {
      pop.fit(split)
      model.epochs = 1
      model.training = "training-split item counts"
      return .host(HistoryValue(TrainingHistory(settings: TrainingSettings(), instances: "counts of training interactions")))
    }
    guard let recommender = model.recommender else { return .none }
    var s = TrainingSettings()
    s.epochs = try a.integer("epochs")
    s.batch = try a.integer("batch")
    s.learningRate = Float(try a.number("lr"))
    s.l2 = Float(try a.number("l2"))
    do {
      s.objective = try Objective.named(try a.string("loss"), negatives: try a.integer("negatives"))
    } catch let e as LayerError {
      throw a.error(e.message, argument: "loss", help: e.help)
    }
    guard let sampler = SamplerKind(rawValue: try a.string("sampler")) else {
      throw a.error("fit() expects sampler: \"uniform\" or \"popularity\"", argument: "sampler")
    }
    s.sampler = sampler
    if let p = a.optional("patience"), case .number = p {
      s.patience = try a.integer("patience")
      guard s.patience! >= 1 else { throw a.error("fit() needs patience ≥ 1 (or none to never stop early)", argument: "patience") }
    }
    s.metric = try a.string("metric")
    do { _ = try MetricName(parsing: s.metric) } catch {
      throw a.error("fit() cannot use metric '\(s.metric)'", argument: "metric", help: "write it as name@K, e.g. \"ndcg@10\" or \"hr@20\"")
    }
    s.seed = UInt64(max(0, try a.integer("seed")))
    s.maxlen = try MaxLength.resolve(a, model)
    guard let mode = InstanceMode(rawValue: try a.string("mode")) else {
      throw a.error("fit() expects mode: \"prefix\", \"windows\" or \"last\"", argument: "mode")
    }
    s.mode = mode
    switch a.optional("fold") {
    case .bool(let fold): s.foldPrefixes = fold
    case nil, .some(.none): break
    default: throw a.error("fit() expects fold: true, false or none (fold when exact)", argument: "fold")
    }
    s.lengthBuckets = try a.bool("buckets")
    if let c = a.optional("clip"), case .number(let v) = c { s.clipNorm = Float(v) }
    s.validate = try a.bool("validate")
    guard s.epochs >= 0, s.epochs <= 100_000, s.batch > 0, s.batch <= 1 << 16, s.maxlen > 0, s.maxlen <= 4096,
      s.learningRate > 0, s.learningRate.isFinite, s.l2 >= 0, negativesOK(s.objective)
    else {
      throw a.error("fit() needs 0 ≤ epochs ≤ 100000, 1 ≤ batch ≤ 65536, 1 ≤ maxlen ≤ 4096, 1 ≤ negatives ≤ 1000, lr > 0 and l2 ≥ 0")
    }
    if let t = a.optional("threads"), case .number = t { BLAS.threads = try a.integer("threads") }

    var autosave: String? = nil
    switch a.optional("autosave") {
    case nil, .some(.none): break
    case .string(let path): autosave = path
    default: throw a.error("fit() expects autosave: a file path such as \"run.ckpt\"", argument: "autosave")
    }
    var resumedState: TrainingState? = nil
    if let resume = a.optional("resume"), case .string(let path) = resume {
      let checkpoint = try Checkpoint.read(from: path)
      let optimizer = Adam(learningRate: s.learningRate, weightDecay: s.l2, clipNorm: s.clipNorm)
      if TrainingState.isState(checkpoint) {
        // An autosave: the run goes on exactly where it stopped, early stopping's best epoch and
        // patience included, and its history holds the earlier epochs too.
        let state = try TrainingState.restore(checkpoint, into: recommender, optimizer: optimizer, settings: s, file: path)
        resumedState = state
        let best = state.best.map { String(format: ", best %@ %.4f at epoch %d", s.metric, $0.value, $0.epoch) } ?? ""
        context.write("resuming \(model.call) from \(path) after epoch \(state.epoch)\(best)\n")
      } else {
        // A saved model: its parameters, Adam moments and step, and its epoch count.
        try checkpoint.apply(to: recommender, optimizer: optimizer, file: path)
        context.write("resuming \(model.call) from \(path) after epoch \(checkpoint.epoch)\n")
      }
      model.optimizer = optimizer
      model.epochs = checkpoint.epoch
      // Train the epochs that remain up to `epochs`.
      s.epochs = max(0, s.epochs - checkpoint.epoch)
    } else if !recommender.trained || model.optimizer == nil {
      recommender.initialize(seed: s.seed)
      model.optimizer = Adam(learningRate: s.learningRate, weightDecay: s.l2, clipNorm: s.clipNorm)
      model.epochs = 0
    }
    let optimizer = model.optimizer!
    optimizer.learningRate = s.learningRate
    optimizer.weightDecay = s.l2
    optimizer.clipNorm = s.clipNorm

    let bar = ProgressBar(terminal: environment.terminal, write: context.write)
    // A continued run says where it picks up: "fit CALL after epoch 3: 3 epochs, ..." trains 4 to 6.
    context.write("fit \(model.call)\(model.epochs > 0 ? " after epoch \(model.epochs)" : ""): \(s)\n")
    var trainer = Trainer(settings: s, progress: { bar.show($0) }, shouldStop: { context.isCancelled })
    if let autosave {
      let call = model.call, dataName = recommender.catalog.name
      trainer.afterEpoch = { state in
        do {
          try state.checkpoint(of: recommender, call: call, dataName: dataName).write(to: autosave)
        } catch let failure as CheckpointError {
          throw a.error("fit() could not autosave to '\(autosave)': \(failure.message)", argument: "autosave", help: failure.help)
        }
      }
    }
    let history = try trainer.fit(recommender, split: split, optimizer: optimizer, startEpoch: model.epochs, resuming: resumedState)
    model.epochs = history.bestEpoch ?? history.records.last?.epoch ?? model.epochs
    let negatives = s.objective == .ce ? "" : ", \(s.sampler.rawValue) negatives"
    model.training = "\(history.instances); \(s.objective)\(negatives); \(model.epochs) epoch\(model.epochs == 1 ? "" : "s")"
    // An interrupted epoch leaves its progress bar on the line: clear it first.
    context.write((environment.terminal ? "\r\u{1B}[2K" : "") + "\(history.summary); \(history.instances)\n")
    return .host(HistoryValue(history))
  }
}

func negativesOK(_ o: Objective) -> Bool { o.negatives <= 1000 }

/// Renders training events: `\r`-redrawn bar on a terminal, one summary line per epoch otherwise.
final class ProgressBar {
  let terminal: Bool
  let write: (String) -> Void
  var lastDraw = 0.0

  init(terminal: Bool, write: @escaping (String) -> Void) {
    self.terminal = terminal
    self.write = write
  }

  func show(_ event: TrainingEvent) {
    switch event {
    case .epochStarted: lastDraw = 0
    case .batchFinished(let epoch, let batch, let batches, let sequences, let loss, let seconds):
      guard terminal, seconds - lastDraw > 0.1 || batch == batches else { return }
      lastDraw = seconds
      let width = 24
      let filled = width * batch / max(batches, 1)
      let rate = Double(sequences) / max(seconds, 1e-9)
      let left = seconds / Double(batch) * Double(batches - batch)
      write(String(format: "\r\u{1B}[2Kepoch %d [%@%@] %d/%d  %.0f seq/s  loss %.4f  %.0fs left", epoch,
                   String(repeating: "█", count: filled), String(repeating: "·", count: width - filled),
                   batch, batches, rate, loss, left))
    case .epochFinished(let r, let improved):
      var line = String(format: "epoch %d  loss %.4f", r.epoch, r.losses.first?.value ?? .nan)
      if r.losses.count > 1 {
        line += " (" + r.losses.dropFirst().map { String(format: "%@ %.4f", $0.name, $0.value) }.joined(separator: ", ") + ")"
      }
      for (name, value) in r.validation.sorted(by: { $0.key < $1.key }) { line += String(format: "  valid %@ %.4f", name, value) }
      line += improved ? " *" : ""
      line += String(format: "  %.1fs  %.0f seq/s", r.seconds, Double(r.sequences) / max(r.seconds, 1e-9))
      write((terminal ? "\r\u{1B}[2K" : "") + line + "\n")
    case .note(let text):
      write((terminal ? "\r\u{1B}[2K" : "") + text + "\n")
    }
  }
}
