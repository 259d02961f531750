import Foundation
import LoomRec

/// `compare(models, data, runs: 5, ...)`: the arguments translated into a `ComparisonPlan`, run
/// by the engine's `Comparison`. Options that `fit` takes (FitOptions.names) go to training, the
/// rest to the model functions (`dim: 64`). A model may be a record that gives its own options
/// and a label, `{model: SASRec, label: "SASRec prefix", mode: "prefix"}`, overriding the shared
/// ones, so one table can hold rows trained differently. `to: "table.md"` also writes the table
/// as Markdown and journals every finished run; `resume: true` reuses those and shares the runs
/// with other processes running the same comparison.
enum Compare {
  static func run(_ a: CallArguments, _ context: CallContext, _ environment: StandardEnvironment) throws -> Value {
    let data = try a.host("data", as: DatasetValue.self, described: "a data set")
    let table: String?
    switch a.extraKeywords.first(where: { $0.name == "to" })?.value {
    case nil, .some(.none): table = nil
    case .string(let path): table = path
    default: throw a.error("compare() expects to: a path such as \"results.md\"", argument: "to")
    }
    let resume: Bool
    switch a.extraKeywords.first(where: { $0.name == "resume" })?.value {
    case nil: resume = false
    case .bool(let flag): resume = flag
    default: throw a.error("compare() expects resume: true or false", argument: "resume")
    }
    guard !resume || table != nil else {
      throw a.error(
        "compare(resume: true) needs to: the table whose runs it resumes", argument: "resume",
        help: "compare(models, data, to: \"table.md\", resume: true)")
    }
    let runs = try a.integer("runs")
    guard runs >= 1 else { throw a.error("compare() needs runs ≥ 1", argument: "runs") }
    let cutoffs = try a.list("k").compactMap { k -> Int? in if case .number(let n) = k { Int(n) } else { nil } }
    let plan = ComparisonPlan(
      rows: try rows(a, data, context), runs: runs, cutoffs: cutoffs, split: try data.split(),
      dataDescription: ComparisonPlan.describe(data.dataset, split: data.splitKind), table: table, resume: resume)
    let bar = ProgressBar(environment, write: context.write)
    let observer = Comparison.Observer(
      say: { context.write($0 + "\n") }, progress: bar.show, shouldStop: { context.isCancelled },
      checkCancellation: { try context.checkCancellation() }, describe: describe)
    do {
      return .host(ComparisonValue(try Comparison(plan, observer: observer).run()))
    } catch let failure as Comparison.Failure {
      switch failure {
      case .journal(let path, let reason):
        throw a.error(
          "compare() could not resume from '\(path)': \(reason)", argument: "resume",
          help: "move the file away to start afresh, or run without resume: true")
      case .write(let path, let reason):
        throw a.error("compare() could not write '\(path)': \(reason)", argument: "to")
      case .sharing(let path, let reason):
        throw a.error("compare() could not share '\(path)' with other processes: \(reason)", argument: "to")
      }
    }
  }

  /// One plan row per model: its label, the options it trains with and how to build it.
  static func rows(_ a: CallArguments, _ data: DatasetValue, _ context: CallContext) throws -> [ComparisonPlan.Row] {
    let models = try a.list("models")
    guard !models.isEmpty else { throw a.error("compare() needs at least one model function", argument: "models") }
    let shared = a.extraKeywords.filter { $0.name != "to" && $0.name != "resume" }
    return try models.map { element in
      var function = element
      var label: String? = nil
      var own: [(String, Value)] = []
      if case .record(let record) = element {
        guard let f = record["model"] else {
          throw a.error(
            "a model record in compare() needs a model field, e.g. {model: SASRec, mode: \"prefix\"}", argument: "models")
        }
        function = f
        if let l = record["label"] {
          guard case .string(let text) = l else { throw a.error("a model record's label must be a string", argument: "models") }
          label = text
        }
        own = record.fields.filter { $0.key != "model" && $0.key != "label" }.map { ($0.key, $0.value) }
      }
      guard let name = function.callableName else {
        throw Diagnostic(
          .typeMismatch,
          "compare() expects model functions such as MIN or SASRec, got \(ValueFormatter.describeForError(element))",
          at: a.span(of: "models"), help: "pass the functions themselves: compare([MIN, SASRec], data)")
      }
      let ownNames = Set(own.map(\.0))
      let options = shared.filter { !ownNames.contains($0.name) }.map { ($0.name, $0.value) } + own
      let fitKeywords = options.filter { FitOptions.names.contains($0.0) }
      let modelKeywords = name == "Pop" ? [] : options.filter { !FitOptions.names.contains($0.0) }
      // Read as fit reads them, with the errors fit gives.
      let fitArguments = CallArguments(
        callee: "fit", signature: FitOptions.parsedSignature, span: a.span,
        named: Dictionary(fitKeywords.map { ($0.0, (value: $0.1, span: a.span(of: $0.0))) }, uniquingKeysWith: { $1 }),
        variadic: [])
      let (settings, maxlen) = try FitOptions.settings(fitArguments)
      let label_ = label ?? name
      return ComparisonPlan.Row(
        label: label_, identity: "\(label_) = \(name)(\(listing(modelKeywords))); fit(\(listing(fitKeywords)))",
        settings: settings, maxlen: maxlen
      ) {
        let value = try context.call(function, [.host(data)], keywordList: modelKeywords)
        guard case .host(let h) = value, let model = h as? ModelValue else {
          throw a.error(
            "compare(): \(name)(data) returned \(ValueFormatter.describeForError(value)), not a model", argument: "models")
        }
        return (model.run, model.call)
      }
    }
  }

  /// "dim: 64, dropout: 0.3": options sorted by name, as the journal's fingerprints list them.
  static func listing(_ options: [(String, Value)]) -> String {
    options.sorted { $0.0 < $1.0 }.map { "\($0.0): \(ValueFormatter.repr($0.1))" }.joined(separator: ", ")
  }

  /// A row's failure in words, as the call would have reported it.
  static func describe(_ error: Error) -> String {
    switch error {
    case let diagnostic as Diagnostic: return diagnostic.message
    case let failure as TrainingRun.AutosaveFailure: return Fit.autosaveMessage(failure)
    case let error as LocalizedError: return error.errorDescription ?? "\(error)"
    default: return "\(error)"
    }
  }
}
