import LoomLayers
import LoomRec

/// Training and evaluation: fit, evaluate, Pop, model, summary, graph.
enum TrainingBuiltins {
  static func register(in b: Builtins, environment: StandardEnvironment) {
    b.register("Pop(data)", doc: "the popularity baseline (fit counts training interactions)") { a, _ in
      let d = try a.host("data", as: DatasetValue.self, described: "a data set")
      return .host(ModelValue(.popularity(PopularityModel(itemCount: d.dataset.itemCount)), catalog: d.catalog))
    }
    b.register(
      "model(name, data, **options)", doc: "a prelude or user model function looked up by name, called with data and options"
    ) { a, context in
      let name = try a.string("name")
      guard let function = context.lookup(name), function.callableName != nil else {
        throw a.error(
          "model() found no model function named '\(name)'", argument: "name",
          help: "prelude models: MIN, MFN4Rec, SASRec, GRU4Rec and the ablations (:help lists them); Pop is a builtin")
      }
      return try context.call(function, [try a.value("data")], keywordList: a.extraKeywords.map { ($0.name, $0.value) })
    }
    b.register(
      FitOptions.signature,
      doc:
        "train with Adam; validation each epoch, early stopping, Ctrl-C stops after the batch; autosave: a file the run's state is written to after every epoch, resume: a saved model or autosave to continue from; returns a history"
    ) { a, context in
      try Fit.run(a, context, environment)
    }
    b.register(
      DefaultSignatures.evaluate,
      doc:
        "full ranking over all items (or sampled: n negatives, MIN's protocol); buckets: true scores users of similar history length together; returns a report"
    ) { a, _ in
      let (model, data) = try modelAndData(a)
      let report = try evaluate(model, data, a)
      return .host(ReportValue(report))
    }
    b.register("summary(model)", doc: "layers, output shapes and parameter counts") { a, context in
      let model = try a.host("model", as: ModelValue.self, described: "a model")
      guard let r = model.recommender else {
        context.write("Pop(data): no layers; scores items by training popularity\n")
        return .none
      }
      let table = r.summaryTable
      let html = HTMLTable.render(header: table.header, rows: table.rows, caption: "model \(model.call)", notes: table.notes)
      environment.show("model \(model.call)\n" + r.summary, html: html, write: context.write)
      return .none
    }
    b.register(
      "graph(model, batch: \(TrainingSettings().batch), maxlen: none, loss: \"\(TrainingSettings().objective.name)\", negatives: \(TrainingSettings.sampledNegatives))",
      doc: "the compiled training graph: ops, shapes, memory"
    ) { a, context in
      let model = try a.host("model", as: ModelValue.self, described: "a model")
      guard let r = model.recommender else { throw a.error("graph() needs a neural model; Pop has no graph", argument: "model") }
      let objective = try Objective.named(try a.string("loss"), negatives: try a.integer("negatives"))
      context.write(
        try r.trainingGraphListing(batch: try a.integer("batch"), maxlen: try MaxLength.resolve(a, model), objective: objective)
          + "\n")
      return .none
    }
  }

  static func modelAndData(_ a: CallArguments) throws -> (ModelValue, DatasetValue) {
    let model = try a.host("model", as: ModelValue.self, described: "a model")
    let data = try a.host("data", as: DatasetValue.self, described: "a data set")
    if let catalog = model.catalog, catalog !== data.catalog {
      guard catalog.itemCount == data.dataset.itemCount else {
        throw a.error(
          "this model was built for \(catalog.itemCount) items, the data set has \(data.dataset.itemCount)",
          argument: "data", help: "build the model on this data set")
      }
      throw a.error(
        "this model was built on another data set value ('\(catalog.name)')", argument: "data",
        help: "use the data set the model was built with, or build the model again on this one")
    }
    return (model, data)
  }

  static func evaluate(_ model: ModelValue, _ data: DatasetValue, _ a: CallArguments) throws -> EvaluationReport {
    let ks = try a.list("k").map { v -> Int in
      guard case .number(let n) = v, n >= 1, n == n.rounded() else {
        throw a.typeError("k", expected: "a list of whole numbers ≥ 1", got: v)
      }
      return Int(n)
    }
    guard !ks.isEmpty else { throw a.error("evaluate() needs at least one K", argument: "k") }
    let (split, setup) = try evaluationSetup(model, data, a, cutoffs: ks)
    let metrics = try a.list("metrics").map { v -> String in
      guard case .string(let s) = v else { throw a.typeError("metrics", expected: "a list of metric names", got: v) }
      return s
    }
    let buckets = try a.bool("buckets")
    return try Evaluator.evaluate(
      split: split, protocol: setup, metrics: metrics, byLength: buckets,
      score: model.ranking.scorer(maxlen: setup.maxlen, lengthBuckets: buckets))
  }

  /// The split and protocol that `evaluate` (and `export(split:)`) read from their arguments
  /// `split`, `sampled`, `sampler`, `history`, `maxlen` and `seed`: one reading, so an export
  /// ranks exactly what the evaluation with the same arguments scored.
  static func evaluationSetup(_ model: ModelValue, _ data: DatasetValue, _ a: CallArguments, cutoffs ks: [Int]) throws
    -> (Split, EvaluationProtocol)
  {
    let split = try data.split()
    let part: SplitPart
    switch try a.string("split") {
    case "test": part = .test
    case "valid", "validation": part = .valid
    default: throw a.error("\(a.callee)() expects split: \"test\" or \"valid\"", argument: "split")
    }
    let sampled = try a.integer("sampled")
    guard let sampler = SamplerKind(rawValue: try a.string("sampler")) else {
      throw a.error("\(a.callee)() expects sampler: \"uniform\" or \"popularity\"", argument: "sampler")
    }
    let exclude: Bool
    switch try a.string("history") {
    case "exclude": exclude = true
    case "keep": exclude = false
    default: throw a.error("\(a.callee)() expects history: \"exclude\" or \"keep\"", argument: "history")
    }
    let maxlen = try MaxLength.resolve(a, model)
    guard maxlen >= 1, maxlen <= 4096 else { throw a.error("\(a.callee)() needs 1 ≤ maxlen ≤ 4096", argument: "maxlen") }
    guard sampled >= 0, sampled <= 1_000_000 else {
      throw a.error("\(a.callee)() needs 0 ≤ sampled ≤ 1000000", argument: "sampled")
    }
    guard ks.allSatisfy({ $0 <= 100_000 }) else { throw a.error("\(a.callee)() needs K ≤ 100000", argument: "k") }
    let setup = EvaluationProtocol(
      split: split.kind, part: part, ranking: sampled > 0 ? .sampled(n: sampled, sampler: sampler) : .full,
      cutoffs: ks, excludeHistory: exclude, maxlen: maxlen, seed: UInt64(try a.integer("seed")),
      training: model.training)
    return (split, setup)
  }
}
