import LoomRec

/// The signatures of the builtins whose defaults the engine owns (`evaluate`, `synthetic`,
/// `load`; `fit`'s are in FitOptions), written from the engine's own default values so that
/// `:help`, argument checking and the engine cannot disagree. Docs/language.md's tables are
/// checked against the registered signatures by a test (DefaultDriftTests).
enum DefaultSignatures {
  static let evaluate: String = {
    let d = EvaluationProtocol()
    let sampled: Int
    if case .sampled(let n, _) = d.ranking { sampled = n } else { sampled = 0 }
    let metrics = Metrics.names.map { "\"\($0)\"" }.joined(separator: ", ")
    return "evaluate(model, data, split: \"\(d.part.rawValue)\", k: [\(d.cutoffs.map(String.init).joined(separator: ", "))], "
      + "sampled: \(sampled), sampler: \"\(SamplerKind.uniform.rawValue)\", history: \"\(d.excludeHistory ? "exclude" : "keep")\", "
      + "maxlen: none, metrics: [\(metrics)], seed: \(d.seed), buckets: \(Evaluator.scoresByLengthByDefault))"
  }()

  static let synthetic: String = {
    let d = SyntheticConfig()
    return "synthetic(users: \(d.users), items: \(d.items), seed: \(d.seed), topics: \(d.topics), visual: \(d.visualDim), "
      + "words: \(d.wordsPerItem), stay: \(d.stay))"
  }()

  static let load: String = {
    let d = LoadOptions()
    return "load(path, text: [], visual: none, features: none, min_user: \(d.minUserInteractions), "
      + "min_item: \(d.minItemInteractions), missing: \"\(d.missing.rawValue)\", split: none, max_words: \(d.maxWords))"
  }()
}
