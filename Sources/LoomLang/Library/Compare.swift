import Foundation
import LoomGraph
import LoomLayers
import LoomRec

/// `compare(models, data, runs: 5, ...)`: each model trained `runs` times with seeds 1...runs
/// and evaluated on the test split; options that `fit` knows go to `fit`, the rest to the model
/// functions (`dim: 64`). A model may be a record that gives its own options and a label,
/// `{model: SASRec, label: "SASRec prefix", mode: "prefix"}`, overriding the shared ones, so one
/// table can hold rows trained differently. `to: "table.md"` also writes the table as Markdown
/// and keeps every finished run in `table.runs.json`; `resume: true` reuses those (CompareJournal).
enum Compare {
  static let fitOptions: Set<String> = ["epochs", "batch", "lr", "l2", "loss", "negatives", "sampler", "patience", "metric",
                                        "maxlen", "mode", "fold", "buckets", "clip", "validate", "threads"]

  /// One row to train: the model function, its label and its options (shared ones overridden).
  struct Entry {
    var label: String
    var function: Value
    var fitKeywords: [(String, Value)]
    var modelKeywords: [(String, Value)]

    /// What must match for a journaled run to stand for this row (see CompareJournal).
    func fingerprint(data: String, metrics: [String]) -> String {
      func options(_ list: [(String, Value)]) -> String {
        list.sorted { $0.0 < $1.0 }.map { "\($0.0): \(ValueFormatter.repr($0.1))" }.joined(separator: ", ")
      }
      return "\(label) = \(function.callableName ?? "?")(\(options(modelKeywords))); fit(\(options(fitKeywords))); "
        + "data \(data); metrics \(metrics.joined(separator: " "))"
    }
  }

  static func entries(_ a: CallArguments, shared: [(name: String, value: Value, span: SourceSpan)]) throws -> [Entry] {
    let models = try a.list("models")
    guard !models.isEmpty else { throw a.error("compare() needs at least one model function", argument: "models") }
    return try models.map { element in
      var function = element
      var label: String? = nil
      var own: [(String, Value)] = []
      if case .record(let record) = element {
        guard let f = record["model"] else {
          throw a.error("a model record in compare() needs a model field, e.g. {model: SASRec, mode: \"prefix\"}", argument: "models")
        }
        function = f
        if let l = record["label"] {
          guard case .string(let text) = l else { throw a.error("a model record's label must be a string", argument: "models") }
          label = text
        }
        own = record.fields.filter { $0.key != "model" && $0.key != "label" }.map { ($0.key, $0.value) }
      }
      guard let name = function.callableName else {
        throw Diagnostic(.typeMismatch, "compare() expects model functions such as MIN or SASRec, got \(ValueFormatter.describeForError(element))",
                         at: a.span(of: "models"), help: "pass the functions themselves: compare([MIN, SASRec], data)")
      }
      let ownNames = Set(own.map(\.0))
      let options = shared.filter { !ownNames.contains($0.name) }.map { ($0.name, $0.value) } + own
      return Entry(label: label ?? name, function: function,
                   fitKeywords: options.filter { fitOptions.contains($0.0) },
                   modelKeywords: name == "Pop" ? [] : options.filter { !fitOptions.contains($0.0) })
    }
  }

  static func run(_ a: CallArguments, _ context: CallContext) throws -> Value {
    let shared = a.extraKeywords.filter { $0.name != "to" && $0.name != "resume" }
    let entries = try entries(a, shared: shared)
    let destination: String?
    switch a.extraKeywords.first(where: { $0.name == "to" })?.value {
    case nil, .some(.none): destination = nil
    case .string(let path): destination = path
    default: throw a.error("compare() expects to: a path such as \"results.md\"", argument: "to")
    }
    let resume: Bool
    switch a.extraKeywords.first(where: { $0.name == "resume" })?.value {
    case nil: resume = false
    case .bool(let flag): resume = flag
    default: throw a.error("compare() expects resume: true or false", argument: "resume")
    }
    guard !resume || destination != nil else {
      throw a.error("compare(resume: true) needs to: the table whose runs it resumes", argument: "resume",
                    help: "compare(models, data, to: \"table.md\", resume: true)")
    }
    let data = try a.value("data")
    let runs = try a.integer("runs")
    guard runs >= 1 else { throw a.error("compare() needs runs ≥ 1", argument: "runs") }
    let ks = try a.list("k")
    let metricNames = ["hr", "ndcg", "mrr"].flatMap { m in ks.compactMap { if case .number(let k) = $0 { "\(m)@\(Int(k))" } else { nil } } }
    guard let fitBuiltin = context.lookup("fit"), let evaluateBuiltin = context.lookup("evaluate") else {
      throw a.error("compare() needs fit and evaluate")
    }
    var dataText = "?"
    if case .host(let h) = data, let d = (h as? DatasetValue) {
      let s = d.dataset
      dataText = "\(s.name) \(s.userCount) users \(s.itemCount) items \(s.interactionCount) interactions \(d.splitKind)"
    }
    let journalPath = destination.map(CompareJournal.path(besideTable:))
    var journal = CompareJournal()
    if resume, let journalPath {
      do {
        journal = try CompareJournal.load(from: journalPath)
      } catch let failure as CompareJournal.JournalError {
        throw a.error("compare() could not resume from '\(journalPath)': \(failure.reason)", argument: "resume",
                      help: "move the file away to start afresh, or run without resume: true")
      }
    }
    journal.keep(fingerprints: Set(entries.map { $0.fingerprint(data: dataText, metrics: metricNames) }))
    var rows: [ComparisonValue.Row] = []
    var perUser: [[String: [Double]]] = []
    var protocolText = ""
    /// Trains and evaluates one run; nil when evaluate() returned no report.
    func trainOnce(_ entry: Entry, run: Int, fingerprint: String) throws -> CompareJournal.Run? {
      let model = try context.call(entry.function, [data], keywordList: entry.modelKeywords)
      var fitKeywords = entry.fitKeywords + [("seed", .number(Double(run)))]
      // With a table, the run's state is saved after every epoch, and a resumed comparison goes
      // on from the last finished epoch of an interrupted run instead of training it again.
      if let destination {
        let state = CompareJournal.statePath(besideTable: destination, fingerprint: fingerprint, run: run)
        fitKeywords.append(("autosave", .string(state)))
        if resume, FileManager.default.fileExists(atPath: state) {
          fitKeywords.append(("resume", .string(state)))
          context.write("compare: \(entry.label) run \(run) continues from \(state)\n")
        }
      }
      let history = try context.call(fitBuiltin, [model, data], keywordList: fitKeywords)
      // Ctrl-C ends fit after its batch with the model half trained: such a run must not be
      // evaluated and journaled as finished (its autosave keeps the last finished epoch).
      try context.checkCancellation()
      var secondsPerEpoch: Double? = nil, secondsToBest: Double? = nil
      var training = "counts of training interactions"
      if case .host(let h) = history, let h = h as? HistoryValue, !h.history.records.isEmpty {
        let records = h.history.records
        secondsPerEpoch = records.map(\.seconds).reduce(0, +) / Double(records.count)
        let best = h.history.bestEpoch ?? records.last!.epoch
        secondsToBest = records.filter { $0.epoch <= best }.map(\.seconds).reduce(0, +)
        training = trainingText(h.history)
      }
      // Evaluated as trained: at the same maxlen, length-bucketed when training was.
      let shared = entry.fitKeywords.filter { $0.0 == "maxlen" || $0.0 == "buckets" }
      let reportValue = try context.call(
        evaluateBuiltin, [model, data],
        keywordList: [("k", .list(ks)), ("metrics", .list([.string("hr"), .string("ndcg"), .string("mrr")]))] + shared)
      guard case .host(let r) = reportValue, let report = (r as? ReportValue)?.report else { return nil }
      // The evaluation protocol is shared by every row; how each row trained is its own cell.
      var evaluation = report.evaluationProtocol
      evaluation.training = nil
      var metrics: [String: Double] = [:], perUser: [String: [Double]] = [:]
      for m in metricNames {
        metrics[m] = report[m] ?? .nan
        if let u = report.perUser(m) { perUser[m] = u.values }
      }
      return CompareJournal.Run(fingerprint: fingerprint, run: run, metrics: metrics, perUser: perUser,
                                secondsPerEpoch: secondsPerEpoch, secondsToBest: secondsToBest,
                                training: training, protocolText: evaluation.description)
    }
    /// Writes beside the table; a failure names the file and points at `to:`.
    func write(_ bytes: [UInt8], to path: String) throws {
      do {
        try writeAtomically(bytes, to: path)
      } catch let failure as AtomicWriteFailure {
        throw a.error("compare() could not write '\(path)': \(failure.reason)", argument: "to")
      }
    }
    func saveJournal() throws {
      guard let journalPath else { return }
      try write(try journal.encoded(), to: journalPath)
    }
    func train(_ entry: Entry) throws -> (ComparisonValue.Row, [String: [Double]]) {
      var values: [String: [Double]] = [:]
      var users: [String: [Double]] = [:]
      var seconds: [Double] = [], toBest: [Double] = []
      var training = "counts of training interactions"
      let fingerprint = entry.fingerprint(data: dataText, metrics: metricNames)
      for run in 1...runs {
        try context.checkCancellation()
        let finished: CompareJournal.Run
        if let saved = journal.run(run, fingerprint: fingerprint) {
          finished = saved
          context.write("compare: \(entry.label) run \(run)/\(runs) resumed from \(journalPath ?? "the journal")\n")
        } else {
          context.write("compare: \(entry.label) run \(run)/\(runs)\n")
          guard let trained = try trainOnce(entry, run: run, fingerprint: fingerprint) else { continue }
          finished = trained
          journal.record(finished)
          try saveJournal()
          // The run is in the journal: its state file has served.
          if let destination {
            try? FileManager.default.removeItem(atPath: CompareJournal.statePath(besideTable: destination, fingerprint: fingerprint, run: run))
          }
        }
        if let s = finished.secondsPerEpoch { seconds.append(s) }
        if let s = finished.secondsToBest { toBest.append(s) }
        training = finished.training
        if protocolText.isEmpty { protocolText = finished.protocolText }
        // One line per run, so a log keeps every result even if the table is never finished.
        context.write("compare: \(entry.label) run \(run)/\(runs): "
          + metricNames.map { "\($0) \(String(format: "%.4f", finished.metrics[$0] ?? .nan))" }.joined(separator: ", ") + "\n")
        for m in metricNames {
          values[m, default: []].append(finished.metrics[m] ?? .nan)
          if let u = finished.perUser[m] {
            let previous = users[m] ?? [Double](repeating: 0, count: u.count)
            users[m] = zip(previous, u).map { $0 + $1 / Double(runs) }
          }
        }
      }
      var row = ComparisonValue.Row(
        model: entry.label, training: training, means: [:], stds: [:], pValues: [:],
        secondsPerEpoch: seconds.isEmpty ? 0 : Statistics.mean(seconds),
        secondsToBest: toBest.isEmpty ? 0 : Statistics.mean(toBest))
      for m in metricNames {
        let v = values[m] ?? []
        row.means[m] = Statistics.mean(v)
        row.stds[m] = v.count > 1 ? Statistics.standardDeviation(v) : 0
        if !rows.isEmpty, let mine = users[m], let base = perUser.first?[m], mine.count == base.count {
          row.pValues[m] = (try? Statistics.pairedTTest(mine, base))?.p
        }
      }
      return (row, users)
    }
    var failures: [(model: String, message: String)] = []
    var firstError: Error? = nil
    /// The table so far, written after every model so that a later failure or an interruption
    /// keeps the rows already trained.
    func writeTable(done: Int) throws {
      guard let destination else { return }
      let partial = ComparisonValue(metrics: metricNames, rows: rows, runs: runs, protocolText: protocolText,
                                    failures: failures, pending: entries.count - done)
      try write(Array(partial.markdown.utf8), to: destination)
    }
    for (done, entry) in entries.enumerated() {
      do {
        let (row, users) = try train(entry)
        rows.append(row)
        perUser.append(users)
      } catch {
        // Ctrl-C stops the comparison; any other failure is this model's alone: report it,
        // keep the others (hours of training must not be lost to one bad row).
        if context.isCancelled {
          // Say how to pick up: the finished runs are journaled, the run in progress autosaved.
          if let destination {
            context.write("compare: interrupted in \(entry.label); compare(..., to: \"\(destination)\", resume: true) "
              + "keeps the finished runs and continues the interrupted one from its last finished epoch\n")
          }
          throw error
        }
        let message = (error as? Diagnostic)?.message ?? "\(error)"
        context.write("compare: \(entry.label) failed: \(message)\n")
        failures.append((entry.label, message))
        firstError = firstError ?? error
      }
      try writeTable(done: done + 1)
    }
    if rows.isEmpty, let firstError { throw firstError }
    let result = ComparisonValue(metrics: metricNames, rows: rows, runs: runs, protocolText: protocolText,
                                 failures: failures, pending: 0)
    if let destination { context.write("wrote \(destination)\n") }
    return .host(result)
  }

  /// "prefix (folded), ce (full softmax)": how a row was trained, in one short cell.
  static func trainingText(_ history: TrainingHistory) -> String {
    let s = history.settings
    return "\(s.mode.rawValue)\(s.foldPrefixes == true ? " (folded)" : "")\(s.lengthBuckets ? " (length buckets)" : ""), \(s.objective)"
  }
}
