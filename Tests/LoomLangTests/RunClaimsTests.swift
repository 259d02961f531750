import Dispatch
import Foundation
import Testing

@testable import LoomLang
@testable import LoomRec

/// Several processes (here: comparisons on threads) running the same `compare(..., to:, resume:
/// true)` share its runs: each run is trained once, a run held by a live comparison is waited
/// for, and a run whose comparison has gone is taken over.
struct RunClaimsTests {
  let builtins = Builtins.standard(StandardEnvironment(terminal: false))

  /// Output of several interpreters running at once.
  final class Outputs: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [Int: String] = [:]
    private var problems: [Int: [Diagnostic]] = [:]
    func set(_ index: Int, _ output: String, _ diagnostics: [Diagnostic]) {
      lock.withLock {
        texts[index] = output
        problems[index] = diagnostics
      }
    }
    func output(_ index: Int) -> String { lock.withLock { texts[index] ?? "" } }
    func diagnostics(_ index: Int) -> [Diagnostic] { lock.withLock { problems[index] ?? [] } }
  }

  static func comparison(_ table: String, runs: Int) -> String {
    """
    data = synthetic(users: 60, items: 70, seed: 5)
    c = compare([GRU4Rec, SASRec], data, runs: \(runs), k: [10], epochs: 2, batch: 32, dim: 8, to: "\(table)", resume: true)
    print(c[0]["ndcg@10"], c[1]["ndcg@10"], c[1]["ndcg@10 p"])
    """
  }

  @Test func aClaimHoldsWhileItsComparisonRunsAndGoesStaleAfter() throws {
    let table = CompareJournalTests.temporaryTable("claims")
    let first = RunClaims(table: table)
    let second = RunClaims(table: table)
    #expect(try first.locked { try first.claim(fingerprint: "f", run: 1) } == .mine)
    #expect(try second.locked { try second.claim(fingerprint: "f", run: 1) } == .busy(first.owner))
    // Its own claim is its own; other runs are free.
    #expect(try first.locked { try first.claim(fingerprint: "f", run: 1) } == .mine)
    #expect(try second.locked { try second.claim(fingerprint: "f", run: 2) } == .mine)
    first.finish()
    #expect(try second.locked { try second.claim(fingerprint: "f", run: 1) } == .mine)
    second.release(fingerprint: "f", run: 1)
    #expect(!FileManager.default.fileExists(atPath: RunClaims.claimPath(besideTable: table, fingerprint: "f", run: 1)))
  }

  @Test func aProcessThatHasEndedHoldsNothingAndAnotherHostIsTrusted() throws {
    let me = RunClaims(table: CompareJournalTests.temporaryTable("owners")).owner
    var ended = me
    ended.pid = Int32.max - 1  // no such process
    #expect(!RunClaims.isAlive(ended))
    var restarted = me
    restarted.pid = 1  // alive, but started long before this process
    restarted.started = "0"
    #expect(!RunClaims.isAlive(restarted) || RunClaims.startTime(of: 1) == nil)
    var elsewhere = ended
    elsewhere.host = me.host + "-elsewhere"
    #expect(RunClaims.isAlive(elsewhere))
    // The start time is read past a command name that holds spaces and parentheses.
    #expect(RunClaims.startTime(of: getpid()).map { Int($0) != nil } ?? true)
  }

  /// A run held by a live comparison is skipped, the rest trained, then waited for; when the
  /// holder stops, the run is taken over. The table equals that of an unshared comparison.
  @Test func aHeldRunIsWaitedForAndTakenOverWhenItsHolderStops() throws {
    let reference = CompareJournalTests.temporaryTable("shared-reference")
    let alone = runLoom(Self.comparison(reference, runs: 2), builtins: builtins)
    #expect(alone.diagnostics.isEmpty, "\(alone.diagnostics)")
    let fingerprint = try #require(
      try CompareJournal.load(from: CompareJournal.path(besideTable: reference)).runs.first {
        $0.fingerprint.hasPrefix("GRU4Rec")
      }
    ).fingerprint

    let table = CompareJournalTests.temporaryTable("shared-held")
    let holder = RunClaims(table: table)
    #expect(try holder.locked { try holder.claim(fingerprint: fingerprint, run: 2) } == .mine)
    let outputs = Outputs()
    let done = DispatchSemaphore(value: 0)
    let source = Self.comparison(table, runs: 2)
    Thread.detachNewThread {
      let result = runLoom(source, builtins: .standard(StandardEnvironment(terminal: false)))
      outputs.set(0, result.output, result.diagnostics)
      done.signal()
    }
    // The comparison trains everything else and then waits for GRU4Rec's run 2.
    #expect(done.wait(timeout: .now() + 2.5) == .timedOut)
    holder.finish()
    #expect(done.wait(timeout: .now() + 60) == .success)
    #expect(outputs.diagnostics(0).isEmpty, "\(outputs.diagnostics(0))")
    let lines = outputs.output(0).split(separator: "\n").map(String.init)
    #expect(lines.contains("compare: GRU4Rec run 2/2 is being trained by process \(getpid()); going on with the next run"))
    #expect(lines.contains("compare: waiting for 1 run that other processes are training"))
    #expect(lines.contains("compare: GRU4Rec run 2/2 is taken over (its process has stopped)"))
    #expect(lines.last == alone.output.split(separator: "\n").last.map(String.init))
    #expect(try String(contentsOfFile: table, encoding: .utf8).count > 0)
  }

  /// Two comparisons at once on one table: every run is trained exactly once between them, and
  /// both end with the table an unshared comparison gives.
  @Test func twoComparisonsAtOnceTrainEachRunOnce() throws {
    let reference = CompareJournalTests.temporaryTable("pair-reference")
    let alone = runLoom(Self.comparison(reference, runs: 3), builtins: builtins)
    #expect(alone.diagnostics.isEmpty, "\(alone.diagnostics)")

    let table = CompareJournalTests.temporaryTable("pair")
    let outputs = Outputs()
    let source = Self.comparison(table, runs: 3)
    DispatchQueue.concurrentPerform(iterations: 2) { index in
      let result = runLoom(source, builtins: .standard(StandardEnvironment(terminal: false)))
      outputs.set(index, result.output, result.diagnostics)
    }
    var trained = 0
    for index in 0..<2 {
      #expect(outputs.diagnostics(index).isEmpty, "\(outputs.diagnostics(index))")
      let lines = outputs.output(index).split(separator: "\n").map(String.init)
      trained += lines.filter { $0.range(of: #"^compare: (GRU4Rec|SASRec) run \d/3$"#, options: .regularExpression) != nil }.count
      trained += lines.filter { $0.hasSuffix("is taken over (its process has stopped)") }.count
      #expect(lines.last == alone.output.split(separator: "\n").last.map(String.init))
    }
    #expect(trained == 6)
    let journal = try CompareJournal.load(from: CompareJournal.path(besideTable: table))
    #expect(journal.runs.count == 6)
  }
}
