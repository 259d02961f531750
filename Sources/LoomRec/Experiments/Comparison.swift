import Foundation
import LoomFiles

/// Runs a `ComparisonPlan`: schedules every row's runs (taken from the journal, trained here, or
/// left to another process that has claimed them), trains each with `TrainingRun` and evaluates
/// it with the `Evaluator`, journals it, and aggregates the finished runs into a
/// `ComparisonTable`, rewritten after every row so that a failure or an interruption keeps what
/// is done.
///
/// Without a table everything stays in memory. With a table, every finished run is journaled
/// beside it and the run in progress autosaves after every epoch; with `resume`, other processes
/// may be running the same comparison: the journal on disk is the truth, read and written under
/// the table's lock, and every run is claimed before it trains (RunClaims).
public final class Comparison {
  /// Why a comparison could not go on as a whole (a row's own failure is in its table instead).
  public enum Failure: Error {
    /// The journal beside the table cannot be read.
    case journal(path: String, reason: String)
    /// The table or the journal cannot be written.
    case write(path: String, reason: String)
    /// The lock or the claims shared with other processes failed.
    case sharing(table: String, reason: String)
  }

  /// How the comparison talks to whoever runs it.
  public struct Observer {
    /// One line of news ("compare: SASRec run 2/5: hr@10 0.1234, ...").
    public var say: (String) -> Void
    /// Each run's training progress.
    public var progress: (TrainingEvent) -> Void
    /// Polled between batches; true stops the run in progress after its batch.
    public var shouldStop: () -> Bool
    /// Throws when the user has asked to stop (the error then ends the comparison).
    public var checkCancellation: () throws -> Void
    /// A row's failure in words, for its line under the table.
    public var describe: (Error) -> String

    public init(
      say: @escaping (String) -> Void, progress: @escaping (TrainingEvent) -> Void,
      shouldStop: @escaping () -> Bool, checkCancellation: @escaping () throws -> Void,
      describe: @escaping (Error) -> String
    ) {
      (self.say, self.progress, self.shouldStop) = (say, progress, shouldStop)
      (self.checkCancellation, self.describe) = (checkCancellation, describe)
    }
  }

  let plan: ComparisonPlan
  let observer: Observer
  let fingerprints: [String]
  let journalPath: String?
  let claims: RunClaims?
  var journal = CompareJournal()

  // What has been settled so far, per row.
  var finished: [[Int: CompareJournal.Run]]
  /// Runs finished or without a report.
  var settled: [Int]
  var failures: [(index: Int, message: String)] = []
  var firstError: Error? = nil
  var protocolText = ""

  public init(_ plan: ComparisonPlan, observer: Observer) {
    self.plan = plan
    self.observer = observer
    fingerprints = plan.rows.map(plan.fingerprint)
    journalPath = plan.table.map(CompareJournal.path(besideTable:))
    // Under mpirun the ranks are one participant that trains every run together: claims (each
    // rank claiming its own runs) would send them into different runs' collectives. Several
    // separate processes or jobs may still share a table through claims.
    claims = plan.resume && !Processes.world.isDistributed ? plan.table.map { RunClaims(table: $0) } : nil
    finished = Array(repeating: [:], count: plan.rows.count)
    settled = Array(repeating: 0, count: plan.rows.count)
  }

  deinit { claims?.finish() }

  /// Trains and evaluates every run that is not done yet and returns the table. Ctrl-C ends the
  /// comparison with the checkCancellation error; another failure is its row's alone.
  public func run() throws -> ComparisonTable {
    if plan.resume, let journalPath {
      try underLock {
        journal = try loadJournal(journalPath)
        let before = journal.runs.count
        journal.keep(fingerprints: Set(fingerprints))
        if journal.runs.count != before { try write(try journal.encoded(), to: journalPath) }
      }
    }
    let waiting = try firstPass()
    try waitForOthers(waiting)
    claims?.finish()
    let result = table()
    if result.rows.isEmpty, let firstError { throw firstError }
    if let destination = plan.table { observer.say("wrote \(destination)") }
    return result
  }

  // MARK: Schedule

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

  /// Every row's runs in order; returns the runs another process holds, for the second pass.
  func firstPass() throws -> [(index: Int, run: Int)] {
    var waiting: [(index: Int, run: Int)] = []
    for index in plan.rows.indices {
      let label = plan.rows[index].label
      do {
        for run in 1...plan.runs {
          try observer.checkCancellation()
          switch try next(index, run: run) {
          case .done(let saved):
            settle(index, run: run, saved, from: "resumed from \(journalPath ?? "the journal")")
          case .train:
            observer.say("compare: \(label) run \(run)/\(plan.runs)")
            settle(index, run: run, try trainAndJournal(index, run: run), from: nil)
          case .busy(let holder):
            observer.say(
              "compare: \(label) run \(run)/\(plan.runs) is being trained by process \(holder.pid); going on with the next run")
            waiting.append((index, run))
          }
        }
      } catch {
        try fail(index, error)
      }
      try writeTable()
    }
    return waiting
  }

  /// Waits for the runs other processes hold; takes over a run whose process has gone.
  func waitForOthers(_ initial: [(index: Int, run: Int)]) throws {
    var waiting = initial
    if !waiting.isEmpty {
      observer.say("compare: waiting for \(waiting.count) run\(waiting.count == 1 ? "" : "s") that other processes are training")
    }
    while !waiting.isEmpty {
      var still: [(index: Int, run: Int)] = []
      for (index, run) in waiting where !hasFailed(index) {
        do {
          try observer.checkCancellation()
          switch try next(index, run: run) {
          case .done(let saved):
            settle(index, run: run, saved, from: "trained by another process")
          case .train:
            observer.say("compare: \(plan.rows[index].label) run \(run)/\(plan.runs) is taken over (its process has stopped)")
            settle(index, run: run, try trainAndJournal(index, run: run), from: nil)
          case .busy:
            still.append((index, run))
          }
          if settled[index] == plan.runs { try writeTable() }
        } catch {
          try fail(index, error)
          try writeTable()
        }
      }
      waiting = still
      if !waiting.isEmpty {
        // Look again in a second; Ctrl-C is noticed within a fifth of that.
        for _ in 0..<5 {
          try observer.checkCancellation()
          usleep(200_000)
        }
      }
    }
  }

  // MARK: One run

  /// Trains run `run` of row `index` and journals it.
  func trainAndJournal(_ index: Int, run: Int) throws -> CompareJournal.Run? {
    do {
      guard let trained = try trainOnce(index, run: run) else {
        try underLock { claims?.release(fingerprint: fingerprints[index], run: run) }
        return nil
      }
      try journalRun(trained)
      return trained
    } catch {
      // A failed run is nobody's: another process may try it (an interruption keeps the
      // claim, so that the autosaved state is continued by whoever takes it over).
      if !observer.shouldStop() { try? underLock { claims?.release(fingerprint: fingerprints[index], run: run) } }
      throw error
    }
  }

  /// Trains and evaluates one run; nil when the model gave no report.
  func trainOnce(_ index: Int, run: Int) throws -> CompareJournal.Run? {
    let row = plan.rows[index]
    let fingerprint = fingerprints[index]
    let (model, call) = try row.build()
    var settings = row.settings
    settings.seed = UInt64(run)
    settings.maxlen = row.maxlen ?? model.naturalMaxlen
    // With a table, the run's state is saved after every epoch, and a resumed comparison goes
    // on from the last finished epoch of an interrupted run instead of training it again.
    var autosave: TrainingRun.Autosave? = nil
    var resume: String? = nil
    if let destination = plan.table {
      let state = CompareJournal.statePath(besideTable: destination, fingerprint: fingerprint, run: run)
      autosave = .init(path: state, call: call)
      if plan.resume, FileManager.default.fileExists(atPath: state) {
        resume = state
        observer.say("compare: \(row.label) run \(run) continues from \(state)")
      }
    }
    let history = try model.fit(
      plan.split, settings: settings, call: call, resume: resume, autosave: autosave,
      progress: observer.progress, shouldStop: observer.shouldStop)
    // Ctrl-C ends fit after its batch with the model half trained: such a run must not be
    // evaluated and journaled as finished (its autosave keeps the last finished epoch).
    try observer.checkCancellation()
    var secondsPerEpoch: Double? = nil
    var secondsToBest: Double? = nil
    var training = "counts of training interactions"
    let records = history.records
    if let last = records.last {
      secondsPerEpoch = records.map(\.seconds).reduce(0, +) / Double(records.count)
      let best = history.bestEpoch ?? last.epoch
      secondsToBest = records.filter { $0.epoch <= best }.map(\.seconds).reduce(0, +)
      training = Self.trainingText(history)
    }
    // Evaluated at the training maxlen, in length buckets (exact; `Evaluator.scoresByLengthByDefault`).
    let evaluation = EvaluationProtocol(
      split: plan.split.kind, part: .test, ranking: .full, cutoffs: plan.cutoffs, excludeHistory: true,
      maxlen: settings.maxlen, seed: 0, training: nil)
    let report = try model.evaluate(
      plan.split, protocol: evaluation, metrics: ["hr", "ndcg", "mrr"],
      byLength: Evaluator.scoresByLengthByDefault)
    // The evaluation protocol is shared by every row; how each row trained is its own cell.
    var shared = report.evaluationProtocol
    shared.training = nil
    var metrics: [String: Double] = [:]
    var perUser: [String: [Double]] = [:]
    for m in plan.metricNames {
      metrics[m] = report[m] ?? .nan
      if let u = report.perUser(m) { perUser[m] = u.values }
    }
    return CompareJournal.Run(
      fingerprint: fingerprint, run: run, metrics: metrics, perUser: perUser,
      secondsPerEpoch: secondsPerEpoch, secondsToBest: secondsToBest,
      training: training, protocolText: shared.description)
  }

  /// "prefix (folded), ce (full softmax)": how a row was trained, in one short cell.
  static func trainingText(_ history: TrainingHistory) -> String {
    let s = history.settings
    return
      "\(s.mode.rawValue)\(s.foldPrefixes == true ? " (folded)" : "")\(s.lengthBuckets ? " (length buckets)" : ""), \(s.objective)"
  }

  // MARK: Journal

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
    // The run is in the journal: its state file has served (rank 0 removes it under mpirun).
    if let destination = plan.table, FileWrites.enabled {
      try? FileManager.default.removeItem(
        atPath: CompareJournal.statePath(besideTable: destination, fingerprint: finished.fingerprint, run: finished.run))
    }
  }

  func loadJournal(_ path: String) throws -> CompareJournal {
    do {
      return try CompareJournal.load(from: path)
    } catch let failure as CompareJournal.JournalError {
      throw Failure.journal(path: path, reason: failure.reason)
    }
  }

  func write(_ bytes: [UInt8], to path: String) throws {
    do {
      try writeAtomically(bytes, to: path)
    } catch let failure as AtomicWriteFailure {
      throw Failure.write(path: path, reason: failure.reason)
    }
  }

  func underLock<T>(_ body: () throws -> T) throws -> T {
    guard let claims else { return try body() }
    do {
      return try claims.locked(body)
    } catch let failure as RunClaims.Failure {
      throw Failure.sharing(table: plan.table ?? "", reason: failure.reason)
    }
  }

  // MARK: Aggregate

  func settle(_ index: Int, run: Int, _ result: CompareJournal.Run?, from source: String?) {
    settled[index] += 1
    guard let result else { return }
    finished[index][run] = result
    if protocolText.isEmpty { protocolText = result.protocolText }
    let label = plan.rows[index].label
    if let source { observer.say("compare: \(label) run \(run)/\(plan.runs) \(source)") }
    // One line per run, so a log keeps every result even if the table is never finished.
    observer.say(
      "compare: \(label) run \(run)/\(plan.runs): "
        + plan.metricNames.map { "\($0) \(String(format: "%.4f", result.metrics[$0] ?? .nan))" }.joined(separator: ", "))
  }

  func fail(_ index: Int, _ error: Error) throws {
    // Ctrl-C stops the comparison; any other failure is this row's alone: report it, keep
    // the others (hours of training must not be lost to one bad row).
    if observer.shouldStop() {
      // Say how to pick up: the finished runs are journaled, the run in progress autosaved.
      if let destination = plan.table {
        observer.say(
          "compare: interrupted in \(plan.rows[index].label); compare(..., to: \"\(destination)\", resume: true) "
            + "keeps the finished runs and continues the interrupted one from its last finished epoch")
      }
      throw error
    }
    let message = observer.describe(error)
    observer.say("compare: \(plan.rows[index].label) failed: \(message)")
    failures.append((index, message))
    firstError = firstError ?? error
  }

  func hasFailed(_ index: Int) -> Bool { failures.contains { $0.index == index } }

  /// The table of the rows settled so far, from the first one on (the t-tests need the first
  /// row): written after every row so that a later failure or an interruption keeps them.
  func table() -> ComparisonTable {
    var rows: [ComparisonTable.Row] = []
    var baseUsers: [String: [Double]]? = nil
    var done = 0
    for index in plan.rows.indices {
      if hasFailed(index) {
        done += 1
        continue
      }
      guard settled[index] == plan.runs else { break }
      let results = finished[index].sorted { $0.key < $1.key }.map(\.value)
      let (row, users) = ComparisonTable.row(
        label: plan.rows[index].label, results: results, runs: plan.runs,
        metrics: plan.metricNames, base: baseUsers)
      if rows.isEmpty { baseUsers = users }
      rows.append(row)
      done += 1
    }
    return ComparisonTable(
      metrics: plan.metricNames, rows: rows, runs: plan.runs, protocolText: protocolText,
      failures: failures.map { (plan.rows[$0.index].label, $0.message) }, pending: plan.rows.count - done)
  }

  func writeTable() throws {
    guard let destination = plan.table else { return }
    try write(Array(table().markdown.utf8), to: destination)
  }
}
