import Foundation
import LoomGraph
import LoomLayers
import LoomRec

/// `compare(models, data, runs: 5, ...)`: each model trained `runs` times with seeds 1...runs
/// and evaluated on the test split; options that `fit` knows go to `fit`, the rest to the model
/// functions (`dim: 64`). A model may be a record that gives its own options and a label,
/// `{model: SASRec, label: "SASRec prefix", mode: "prefix"}`, overriding the shared ones, so one
/// table can hold rows trained differently. `to: "table.md"` also writes the table as Markdown
/// and keeps every finished run in `table.runs.json`; `resume: true` reuses those (CompareJournal)
/// and shares the runs with other processes running the same comparison (RunClaims).
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
    let fingerprints = entries.map { $0.fingerprint(data: dataText, metrics: metricNames) }
    /// Writes beside the table; a failure names the file and points at `to:`.
    func write(_ bytes: [UInt8], to path: String) throws {
      do {
        try writeAtomically(bytes, to: path)
      } catch let failure as AtomicWriteFailure {
        throw a.error("compare() could not write '\(path)': \(failure.reason)", argument: "to")
      }
    }
    func loadJournal(_ path: String) throws -> CompareJournal {
      do {
        return try CompareJournal.load(from: path)
      } catch let failure as CompareJournal.JournalError {
        throw a.error("compare() could not resume from '\(path)': \(failure.reason)", argument: "resume",
                      help: "move the file away to start afresh, or run without resume: true")
      }
    }
    // With a table and resume: true, other processes may be running the same comparison: the
    // journal on disk is the truth, read and written under the table's lock, and every run is
    // claimed before it trains (RunClaims).
    let claims: RunClaims? = resume ? destination.map { RunClaims(table: $0) } : nil
    defer { claims?.finish() }
    func underLock<T>(_ body: () throws -> T) throws -> T {
      guard let claims else { return try body() }
      do {
        return try claims.locked(body)
      } catch let failure as RunClaims.Failure {
        throw a.error("compare() could not share '\(destination ?? "")' with other processes: \(failure.reason)", argument: "to")
      }
    }
    var journal = CompareJournal()
    if resume, let journalPath {
      try underLock {
        journal = try loadJournal(journalPath)
        let before = journal.runs.count
        journal.keep(fingerprints: Set(fingerprints))
        if journal.runs.count != before { try write(try journal.encoded(), to: journalPath) }
      }
    }
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

    /// What to do with one run: take it from the journal, train it, or leave it to the process
    /// that has claimed it.
    enum Next {
      case done(CompareJournal.Run)
      case train
      case busy(RunClaims.Owner)
    }
    func next(_ index: Int, run: Int) throws -> Next {
      let fingerprint = fingerprints[index]
      return try underLock {
        if let claims, let journalPath {
          journal = try loadJournal(journalPath)
          if let saved = journal.run(run, fingerprint: fingerprint) { return .done(saved) }
          switch try claims.claim(fingerprint: fingerprint, run: run) {
          case .mine: return .train
          case .busy(let holder): return .busy(holder)
          }
        }
        if let saved = journal.run(run, fingerprint: fingerprint) { return .done(saved) }
        return .train
      }
    }
    /// Journals a finished run (merged with what other processes journaled meanwhile).
    func journalRun(_ finished: CompareJournal.Run) throws {
      try underLock {
        if let journalPath {
          if claims != nil { journal = try loadJournal(journalPath) }
          journal.record(finished)
          try write(try journal.encoded(), to: journalPath)
        } else {
          journal.record(finished)
        }
        claims?.release(fingerprint: finished.fingerprint, run: finished.run)
      }
      // The run is in the journal: its state file has served.
      if let destination {
        try? FileManager.default.removeItem(
          atPath: CompareJournal.statePath(besideTable: destination, fingerprint: finished.fingerprint, run: finished.run))
      }
    }
    /// Trains run `run` of row `index` and journals it.
    func trainAndJournal(_ index: Int, run: Int) throws -> CompareJournal.Run? {
      let entry = entries[index]
      do {
        guard let trained = try trainOnce(entry, run: run, fingerprint: fingerprints[index]) else {
          try underLock { claims?.release(fingerprint: fingerprints[index], run: run) }
          return nil
        }
        try journalRun(trained)
        return trained
      } catch {
        // A failed run is nobody's: another process may try it (an interruption keeps the
        // claim, so that the autosaved state is continued by whoever takes it over).
        if !context.isCancelled { try? underLock { claims?.release(fingerprint: fingerprints[index], run: run) } }
        throw error
      }
    }

    // Every row's runs: journaled, trained here, or (sharing) trained by another process.
    var finished = [[Int: CompareJournal.Run]](repeating: [:], count: entries.count)
    var settled = [Int](repeating: 0, count: entries.count)  // runs finished or without a report
    var failures: [(index: Int, message: String)] = []
    var firstError: Error? = nil
    var waiting: [(index: Int, run: Int)] = []
    func settle(_ index: Int, run: Int, _ result: CompareJournal.Run?, from source: String?) {
      settled[index] += 1
      guard let result else { return }
      finished[index][run] = result
      if protocolText.isEmpty { protocolText = result.protocolText }
      if let source { context.write("compare: \(entries[index].label) run \(run)/\(runs) \(source)\n") }
      // One line per run, so a log keeps every result even if the table is never finished.
      context.write("compare: \(entries[index].label) run \(run)/\(runs): "
        + metricNames.map { "\($0) \(String(format: "%.4f", result.metrics[$0] ?? .nan))" }.joined(separator: ", ") + "\n")
    }
    func fail(_ index: Int, _ error: Error) throws {
      // Ctrl-C stops the comparison; any other failure is this row's alone: report it, keep
      // the others (hours of training must not be lost to one bad row).
      if context.isCancelled {
        // Say how to pick up: the finished runs are journaled, the run in progress autosaved.
        if let destination {
          context.write("compare: interrupted in \(entries[index].label); compare(..., to: \"\(destination)\", resume: true) "
            + "keeps the finished runs and continues the interrupted one from its last finished epoch\n")
        }
        throw error
      }
      let message = (error as? Diagnostic)?.message ?? "\(error)"
      context.write("compare: \(entries[index].label) failed: \(message)\n")
      failures.append((index, message))
      firstError = firstError ?? error
    }
    func hasFailed(_ index: Int) -> Bool { failures.contains { $0.index == index } }

    /// The table of the rows settled so far, from the first one on (the t-tests need the first
    /// row): written after every row so that a later failure or an interruption keeps them.
    func table() -> ComparisonValue {
      var rows: [ComparisonValue.Row] = []
      var baseUsers: [String: [Double]]? = nil
      var done = 0
      for index in entries.indices {
        if hasFailed(index) { done += 1; continue }
        guard settled[index] == runs else { break }
        let (row, users) = makeRow(entries[index], Array(finished[index].sorted { $0.key < $1.key }.map(\.value)),
                                   base: baseUsers)
        if rows.isEmpty { baseUsers = users }
        rows.append(row)
        done += 1
      }
      return ComparisonValue(metrics: metricNames, rows: rows, runs: runs, protocolText: protocolText,
                             failures: failures.map { (entries[$0.index].label, $0.message) }, pending: entries.count - done)
    }
    func writeTable() throws {
      guard let destination else { return }
      try write(Array(table().markdown.utf8), to: destination)
    }
    func makeRow(_ entry: Entry, _ results: [CompareJournal.Run], base: [String: [Double]]?) -> (ComparisonValue.Row, [String: [Double]]) {
      var values: [String: [Double]] = [:]
      var users: [String: [Double]] = [:]
      for result in results {
        for m in metricNames {
          values[m, default: []].append(result.metrics[m] ?? .nan)
          if let u = result.perUser[m] {
            let previous = users[m] ?? [Double](repeating: 0, count: u.count)
            users[m] = zip(previous, u).map { $0 + $1 / Double(runs) }
          }
        }
      }
      let seconds = results.compactMap(\.secondsPerEpoch), toBest = results.compactMap(\.secondsToBest)
      var row = ComparisonValue.Row(
        model: entry.label, training: results.last?.training ?? "counts of training interactions",
        means: [:], stds: [:], pValues: [:],
        secondsPerEpoch: seconds.isEmpty ? 0 : Statistics.mean(seconds),
        secondsToBest: toBest.isEmpty ? 0 : Statistics.mean(toBest))
      for m in metricNames {
        let v = values[m] ?? []
        row.means[m] = Statistics.mean(v)
        row.stds[m] = v.count > 1 ? Statistics.standardDeviation(v) : 0
        if let base, let mine = users[m], let first = base[m], mine.count == first.count {
          row.pValues[m] = (try? Statistics.pairedTTest(mine, first))?.p
        }
      }
      return (row, users)
    }

    // Pass 1: every row's runs in order; runs another process holds are left for pass 2.
    for index in entries.indices {
      do {
        for run in 1...runs {
          try context.checkCancellation()
          switch try next(index, run: run) {
          case .done(let saved):
            settle(index, run: run, saved, from: "resumed from \(journalPath ?? "the journal")")
          case .train:
            context.write("compare: \(entries[index].label) run \(run)/\(runs)\n")
            settle(index, run: run, try trainAndJournal(index, run: run), from: nil)
          case .busy(let holder):
            context.write("compare: \(entries[index].label) run \(run)/\(runs) is being trained by process \(holder.pid); "
              + "going on with the next run\n")
            waiting.append((index, run))
          }
        }
      } catch {
        try fail(index, error)
      }
      try writeTable()
    }
    // Pass 2: wait for the runs other processes hold; take over a run whose process has gone.
    if !waiting.isEmpty {
      context.write("compare: waiting for \(waiting.count) run\(waiting.count == 1 ? "" : "s") that other processes are training\n")
    }
    while !waiting.isEmpty {
      var still: [(index: Int, run: Int)] = []
      for (index, run) in waiting where !hasFailed(index) {
        do {
          try context.checkCancellation()
          switch try next(index, run: run) {
          case .done(let saved):
            settle(index, run: run, saved, from: "trained by another process")
          case .train:
            context.write("compare: \(entries[index].label) run \(run)/\(runs) is taken over (its process has stopped)\n")
            settle(index, run: run, try trainAndJournal(index, run: run), from: nil)
          case .busy:
            still.append((index, run))
          }
          if settled[index] == runs { try writeTable() }
        } catch {
          try fail(index, error)
          try writeTable()
        }
      }
      waiting = still
      if !waiting.isEmpty {
        // Look again in a second; Ctrl-C is noticed within a fifth of that.
        for _ in 0..<5 {
          try context.checkCancellation()
          usleep(200_000)
        }
      }
    }
    let result = table()
    if result.rows.isEmpty, let firstError { throw firstError }
    if let destination { context.write("wrote \(destination)\n") }
    return .host(result)
  }

  /// "prefix (folded), ce (full softmax)": how a row was trained, in one short cell.
  static func trainingText(_ history: TrainingHistory) -> String {
    let s = history.settings
    return "\(s.mode.rawValue)\(s.foldPrefixes == true ? " (folded)" : "")\(s.lengthBuckets ? " (length buckets)" : ""), \(s.objective)"
  }
}
