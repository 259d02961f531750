import LoomLayers
import LoomONNX
import LoomRec

/// Keeping and sharing results: checkpoints (`save`, `restore`), recommendations and exports.
enum PersistenceBuiltins {
  static func register(in b: Builtins) {
    b.register(
      "save(model, path)", doc: "write a checkpoint: the model's Loom source and arguments, parameters, optimiser state, epoch"
    ) { a, context in
      let model = try a.host("model", as: ModelValue.self, described: "a model")
      guard let r = model.recommender else {
        throw a.error("save() needs a neural model; Pop is rebuilt by fit(Pop(data), data)", argument: "model")
      }
      guard let source = model.source else {
        throw a.error(
          "save() needs a model built by a function (def ... { recommender(...) })", argument: "model",
          help: "wrap the layers in a def so the checkpoint can rebuild the model")
      }
      for (name, value) in model.arguments where !PersistenceBuiltins.isLiteral(value) {
        if case .host(let h) = value, h is DatasetValue { continue }
        throw a.error(
          "save() cannot record argument '\(name)' of \(model.functionName ?? "the model function"): \(ValueFormatter.describeForError(value)) is not a literal",
          argument: "model", help: "build the model with a function whose arguments are numbers, strings, booleans or lists")
      }
      let hostParameters = model.arguments.filter { if case .host = $0.value { true } else { false } }.map(\.name)
      let checkpoint = Checkpoint(
        capturing: r, source: source, call: model.call, dataName: r.catalog.name,
        epoch: model.epochs, optimizerStep: model.run.optimizerStep,
        metadata: [
          "data parameters": hostParameters.joined(separator: ","),
          "function": model.functionName ?? "",
        ])
      let path = try a.string("path")
      try checkpoint.write(to: path)
      context.write(
        "saved \(model.call) (epoch \(model.epochs), \(Recommender.grouped(r.parameterCount)) parameters) to \(path)\n")
      return .none
    }
    b.register("restore(path, data)", doc: "rebuild a saved model on a data set and load its parameters") { a, context in
      let data = try a.host("data", as: DatasetValue.self, described: "a data set")
      let checkpoint = try Checkpoint.read(from: try a.string("path"))
      let model = try rebuild(checkpoint, data: .host(data), context: context)
      guard model.recommender != nil else { throw a.error("the checkpoint did not rebuild a neural model") }
      try model.run.restore(checkpoint, file: try a.string("path"))
      return .host(model)
    }
    b.register(
      "recommend(model, data, user, k: 10, maxlen: none)", doc: "the user's top-k items (history excluded) with titles and scores"
    ) { a, _ in
      let (model, data) = try TrainingBuiltins.modelAndData(a)
      let user = try UserLookup.index(a, data)
      let recs = try LoomRec.recommend(
        user: data.dataset.userIDs[user], data: data.dataset, k: try a.integer("k"),
        maxlen: try MaxLength.resolve(a, model), score: model.ranking.scorer(maxlen: try MaxLength.resolve(a, model)))
      return .host(RecommendationsValue(user: data.dataset.userIDs[user], items: recs))
    }
    b.register(
      "export(model, data, path, k: 20, maxlen: none, split: none, sampled: 0, sampler: \"uniform\", history: \"exclude\", seed: 0)",
      doc:
        "CSV of every user's top-k, original ids; split: \"test\" or \"valid\" writes the ranked lists evaluate scores there, to recount its metrics"
    ) { a, context in
      let (model, data) = try TrainingBuiltins.modelAndData(a)
      let path = try a.string("path")
      let k = try a.integer("k")
      if let given = a.optional("split"), !given.isNone {
        let (split, setup) = try TrainingBuiltins.evaluationSetup(model, data, a, cutoffs: [k])
        let (rows, _) = try exportRankedLists(
          data: data.dataset, split: split, protocol: setup, k: k, to: path,
          score: model.ranking.scorer(maxlen: setup.maxlen))
        context.write("wrote \(rows) rows to \(path): the ranked lists of \(setup)\n")
        return .string(path)
      }
      for option in ["sampled", "sampler", "history", "seed"] where a.isGiven(option) {
        throw a.error(
          "export() takes \(option): only with split:", argument: option,
          help: "export(model, data, path, split: \"test\", \(option): ...) writes the lists evaluate scores")
      }
      let rows = try exportRecommendations(
        data: data.dataset, to: path, k: k, maxlen: try MaxLength.resolve(a, model),
        score: model.ranking.scorer(maxlen: try MaxLength.resolve(a, model)))
      context.write("wrote \(rows) rows to \(path)\n")
      return .string(path)
    }
  }

  /// `export_onnx`: the model as an ONNX file that scores new histories as Loom does, with its
  /// item map beside it (LoomONNX, Docs/serving.md).
  static func registerONNX(in b: Builtins) {
    b.register(
      "export_onnx(model, data, path, k: 10, maxlen: none)",
      doc:
        "write the model as ONNX (opset 17): history [batch, maxlen] item indices in, scores of all items and the top-k unseen out; the item map goes beside it as .json"
    ) { a, context in
      let (model, data) = try TrainingBuiltins.modelAndData(a)
      guard let recommender = model.recommender else {
        throw a.error(
          "export_onnx() needs a neural model; Pop has no network to export", argument: "model",
          help: "popularity is one ranked list: export(model, data, path) writes it")
      }
      let path = try a.string("path")
      let maxlen = try MaxLength.resolve(a, model)
      do {
        let written = try ONNXExport.write(
          recommender, data: data.dataset, maxlen: maxlen, k: try a.integer("k"), to: path, description: model.call,
          producerVersion: loomVersion)
        let megabytes = Double(written.bytes) / 1_000_000
        context.write(
          "wrote \(path) (\(String(format: "%.1f", megabytes)) MB, \(written.nodes) nodes, ONNX opset \(ONNXExport.opset)): history [batch, \(maxlen)] in; scores [batch, \(written.items + 1)], top_items and top_scores [batch, \(written.k)] out; item ids in \(written.itemsPath)\n"
        )
        return .string(path)
      } catch let failure as ONNXExportError {
        switch failure {
        case .badArgument(let why): throw a.error("export_onnx(): \(why)")
        case .cannotWrite(let why):
          throw a.error("export_onnx(): \(why)", argument: "path", help: "choose a path in an existing, writable directory")
        case .unsupported:
          throw a.error(
            "export_onnx() cannot export \(model.call): \(failure)", argument: "model",
            help: "the export covers the layers of language.md §3 at evaluation; this one has no ONNX form yet")
        }
      }
    }
  }

  /// Whether a value prints as Loom source that reads back as itself.
  static func isLiteral(_ v: Value) -> Bool {
    switch v {
    case .none, .bool, .number, .string: return true
    case .list(let l): return l.allSatisfy(isLiteral)
    case .record(let r): return r.values.allSatisfy(isLiteral)
    default: return false
    }
  }

  /// Runs the checkpoint's model function in a separate interpreter (so the session's own names
  /// are untouched) with its recorded arguments, the data set bound to its parameter name.
  static func rebuild(_ c: Checkpoint, data: Value, context: CallContext) throws -> ModelValue {
    let scratch = Interpreter(builtins: context.interpreter.builtins, output: { _ in }, isCancelled: { false })
    for name in (c.metadata["data parameters"] ?? "data").split(separator: ",") { scratch.setGlobal(String(name), data) }
    do {
      try scratch.run(SourceFile(name: "<checkpoint>", text: c.modelSource))
      let value = try scratch.run(SourceFile(name: "<checkpoint>", text: c.modelCall))
      guard case .host(let h)? = value, let model = h as? ModelValue else {
        throw Diagnostic(.hostError, "the checkpoint's model call \(c.modelCall) did not return a model", at: context.span)
      }
      return model
    } catch let list as DiagnosticList {
      throw Diagnostic(
        .hostError, "cannot rebuild the checkpoint's model \(c.modelCall): " + (list.diagnostics.first?.message ?? ""),
        at: context.span,
        help:
          "the checkpoint holds the source of \(c.metadata["function"] ?? "its function") and the prelude only; a model whose function calls other functions of yours cannot be rebuilt"
      )
    }
  }
}

/// `recommend(...)`: a user's top items, printed as a table, iterable as records.
final class RecommendationsValue: HostValue {
  let user: String
  let items: [Recommendation]
  init(user: String, items: [Recommendation]) {
    self.user = user
    self.items = items
  }
  var typeName: String { "recommendations" }
  var description: String {
    (["top \(items.count) for user \(user):"]
      + items.map { r in
        String(format: "%3d  %@  %@  %.4f", r.rank, r.item, r.title ?? "", r.score)
      }).joined(separator: "\n")
  }
  var length: Int? { items.count }
  func elements() throws -> [Value]? {
    items.map { r in
      .record(
        Record(
          keys: ["rank", "item", "title", "score"],
          values: [.number(Double(r.rank)), .string(r.item), r.title.map { .string($0) } ?? .none, .number(Double(r.score))]))
    }
  }
  func element(at index: Value) throws -> Value? {
    guard case .number(let n) = index, let all = try elements(), Int(n) >= 0, Int(n) < all.count else { return nil }
    return all[Int(n)]
  }
}
