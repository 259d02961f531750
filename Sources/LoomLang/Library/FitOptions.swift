import LoomLayers
import LoomRec

/// `fit`'s options: the signature, written from `TrainingSettings`' defaults (their one home,
/// so `:help fit`, argument checking and the engine cannot disagree), and one reading of the
/// arguments into settings, shared by `fit` and `compare`.
enum FitOptions {
  static let signature: String = {
    let d = TrainingSettings()
    let options: [(String, String)] = [
      ("epochs", "\(d.epochs)"), ("batch", "\(d.batch)"), ("lr", literal(d.learningRate)), ("l2", literal(d.l2)),
      ("loss", "\"\(d.objective.name)\""), ("negatives", "\(TrainingSettings.sampledNegatives)"),
      ("sampler", "\"\(d.sampler.rawValue)\""), ("patience", d.patience.map(String.init) ?? "none"),
      ("metric", "\"\(d.metric)\""), ("seed", "\(d.seed)"),
      ("maxlen", "none"),  // the model's own (TrainingRun.naturalMaxlen)
      ("mode", "\"\(d.mode.rawValue)\""), ("fold", d.foldPrefixes.map { "\($0)" } ?? "none"),
      ("buckets", "\(d.lengthBuckets)"), ("clip", d.clipNorm.map(literal) ?? "none"), ("validate", "\(d.validate)"),
      ("threads", d.threads.map(String.init) ?? "none"), ("resume", "none"), ("autosave", "none"),
    ]
    return "fit(model, data, " + options.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + ")"
  }()

  /// `signature` parsed, for reading `compare`'s options as `fit` reads them.
  static var parsedSignature: Signature {
    guard let parsed = Signature(signature) else {
      preconditionFailure("fit's signature, built from literals, does not parse: \(signature)")
    }
    return parsed
  }

  /// The option names (every parameter but the model and the data): what `compare` passes to `fit`.
  static let names: Set<String> = Set(parsedSignature.parameters.map(\.name)).subtracting(["model", "data"])

  /// 0.001 as "0.001", 0 as "0": a Float default as a Loom literal.
  static func literal(_ x: Float) -> String {
    x == x.rounded() ? "\(Int(x))" : "\(Double(String(describing: x)) ?? Double(x))"
  }

  /// The settings `a` asks for, `maxlen` left nil when not given (the model's own applies).
  static func settings(_ a: CallArguments) throws -> (settings: TrainingSettings, maxlen: Int?) {
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
      let patience = try a.integer("patience")
      guard patience >= 1 else { throw a.error("fit() needs patience ≥ 1 (or none to never stop early)", argument: "patience") }
      s.patience = patience
    }
    s.metric = try a.string("metric")
    do { _ = try MetricName(parsing: s.metric) } catch {
      throw a.error(
        "fit() cannot use metric '\(s.metric)'", argument: "metric", help: "write it as name@K, e.g. \"ndcg@10\" or \"hr@20\"")
    }
    s.seed = UInt64(max(0, try a.integer("seed")))
    var maxlen: Int? = nil
    if let given = a.optional("maxlen"), case .number = given {
      let value = try a.integer("maxlen")
      guard value >= 1, value <= 4096 else { throw a.error("fit() needs 1 ≤ maxlen ≤ 4096", argument: "maxlen") }
      maxlen = value
    }
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
    if let t = a.optional("threads"), case .number = t { s.threads = try a.integer("threads") }
    guard s.epochs >= 0, s.epochs <= 100_000, s.batch > 0, s.batch <= 1 << 16,
      s.learningRate > 0, s.learningRate.isFinite, s.l2 >= 0, s.objective.negatives <= 1000
    else {
      throw a.error(
        "fit() needs 0 ≤ epochs ≤ 100000, 1 ≤ batch ≤ 65536, 1 ≤ maxlen ≤ 4096, 1 ≤ negatives ≤ 1000, lr > 0 and l2 ≥ 0")
    }
    return (s, maxlen)
  }

  /// `autosave:`: the file the run's state is written to after every epoch, if any.
  static func autosave(_ a: CallArguments) throws -> String? {
    switch a.optional("autosave") {
    case nil, .some(.none): return nil
    case .string(let path): return path
    default: throw a.error("fit() expects autosave: a file path such as \"run.ckpt\"", argument: "autosave")
    }
  }

  /// `resume:`: a saved model or autosave to continue from, if any.
  static func resume(_ a: CallArguments) -> String? {
    if let resume = a.optional("resume"), case .string(let path) = resume { return path }
    return nil
  }
}
