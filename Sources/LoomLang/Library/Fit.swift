import LoomRec

/// `fit(model, data, ...)`: the arguments translated into `TrainingSettings` (FitOptions) and
/// handed to the model's `TrainingRun`; progress shown as a bar on a terminal (batches, sequences
/// per second, running loss, time left) or one line per epoch elsewhere.
enum Fit {
  static func run(_ a: CallArguments, _ context: CallContext, _ environment: StandardEnvironment) throws -> Value {
    let (model, data) = try TrainingBuiltins.modelAndData(a)
    let split = try data.split()
    var (settings, maxlen) = try FitOptions.settings(a)
    settings.maxlen = maxlen ?? model.run.naturalMaxlen
    let autosave = try FitOptions.autosave(a).map { TrainingRun.Autosave(path: $0, call: model.call) }
    let bar = ProgressBar(environment, write: context.write)
    do {
      let history = try model.run.fit(
        split, settings: settings, call: model.call, resume: FitOptions.resume(a),
        autosave: autosave, progress: bar.show, shouldStop: { context.isCancelled })
      return .host(HistoryValue(history))
    } catch let failure as TrainingRun.AutosaveFailure {
      throw a.error(autosaveMessage(failure), argument: "autosave", help: failure.failure.help)
    }
  }

  /// "fit() could not autosave to 'run.ckpt': REASON".
  static func autosaveMessage(_ failure: TrainingRun.AutosaveFailure) -> String {
    "fit() could not autosave to '\(failure.path)': \(failure.failure.message)"
  }
}
