import Foundation
import Testing

@testable import LoomLang
@testable import LoomRec

/// `compare(..., to:, resume: true)` takes finished runs from the journal beside the table and
/// trains only the rest; a damaged journal is an error, never an empty one.
struct CompareJournalTests {
  static func temporaryTable(_ name: String) -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-journal-\(name)-\(getpid())")
    try? FileManager.default.removeItem(at: directory)
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent("table.md").path
  }

  @Test func journalSitsBesideTheTable() {
    #expect(CompareJournal.path(besideTable: "Docs/results/main.md") == "Docs/results/main.runs.json")
    #expect(CompareJournal.path(besideTable: "main.md") == "main.runs.json")
    #expect(CompareJournal.path(besideTable: "/tmp/t") == "/tmp/t.runs.json")
  }

  @Test func nanMetricsSurviveTheRoundTrip() throws {
    let path = Self.temporaryTable("nan")
    var journal = CompareJournal()
    journal.record(
      .init(
        fingerprint: "f", run: 1, metrics: ["hr@10": .nan, "ndcg@10": 0.25], perUser: ["hr@10": [0, 1]],
        secondsPerEpoch: 1.5, secondsToBest: nil, training: "windows", protocolText: "p"))
    journal.record(
      .init(
        fingerprint: "f", run: 1, metrics: ["hr@10": 0.5], perUser: [:],
        secondsPerEpoch: nil, secondsToBest: nil, training: "windows", protocolText: "p"))
    try journal.save(to: path)
    let loaded = try CompareJournal.load(from: path)
    // Recording run 1 again replaced the first one.
    #expect(loaded.runs.count == 1)
    #expect(loaded.run(1, fingerprint: "f")?.metrics["hr@10"] == 0.5)
    #expect(loaded.run(1, fingerprint: "g") == nil)

    var withNaN = CompareJournal()
    withNaN.record(
      .init(
        fingerprint: "f", run: 2, metrics: ["hr@10": .nan], perUser: [:],
        secondsPerEpoch: nil, secondsToBest: nil, training: "", protocolText: ""))
    try withNaN.save(to: path)
    #expect(try CompareJournal.load(from: path).run(2, fingerprint: "f")?.metrics["hr@10"]?.isNaN == true)
  }

  @Test func resumedRunsAreReusedAndTheRestTrained() throws {
    let table = Self.temporaryTable("resume")
    let first = runLoom(
      """
      data = synthetic(users: 50, items: 60, seed: 3)
      c = compare([GRU4Rec, Pop], data, runs: 1, k: [10], epochs: 1, batch: 32, dim: 8, to: "\(table)")
      print(c[0]["ndcg@10"])
      """, builtins: .standard(StandardEnvironment(terminal: false)))
    #expect(first.diagnostics.isEmpty, "\(first.diagnostics)")
    #expect(FileManager.default.fileExists(atPath: CompareJournal.path(besideTable: table)))
    let firstNDCG = try #require(first.output.split(separator: "\n").last.flatMap { Double($0) })

    // Two runs now: run 1 comes from the journal, run 2 is trained; a changed option retrains.
    let second = runLoom(
      """
      data = synthetic(users: 50, items: 60, seed: 3)
      c = compare([GRU4Rec, Pop], data, runs: 2, k: [10], epochs: 1, batch: 32, dim: 8, to: "\(table)", resume: true)
      d = compare([GRU4Rec], data, runs: 1, k: [10], epochs: 1, batch: 32, dim: 12, to: "\(table)", resume: true)
      """, builtins: .standard(StandardEnvironment(terminal: false)))
    #expect(second.diagnostics.isEmpty, "\(second.diagnostics)")
    let lines = second.output.split(separator: "\n").map(String.init)
    #expect(lines.contains { $0.hasPrefix("compare: GRU4Rec run 1/2 resumed from") })
    #expect(lines.contains("compare: GRU4Rec run 2/2"))
    #expect(lines.contains { $0.hasPrefix("compare: Pop run 1/2 resumed from") })
    #expect(lines.contains("compare: Pop run 2/2"))
    // The resumed run reports the very metrics the first call measured.
    let resumedLine = try #require(lines.first { $0.hasPrefix("compare: GRU4Rec run 1/2: ") })
    #expect(resumedLine.contains(String(format: "ndcg@10 %.4f", firstNDCG)))
    // dim 12 is another model: trained, not resumed.
    #expect(lines.filter { $0 == "compare: GRU4Rec run 1/1" }.count == 1)
    // The journal keeps only the rows of the last comparison (GRU4Rec with dim 12, one run).
    let journal = try CompareJournal.load(from: CompareJournal.path(besideTable: table))
    #expect(journal.runs.count == 1)
    #expect(journal.runs.first?.fingerprint.contains("dim: 12") == true)
  }

  /// Ctrl-C (or a session's end) in the middle of a run: the state saved after its last finished
  /// epoch lets `resume: true` finish that run where it stopped, with the metrics of a comparison
  /// that was never interrupted; the state file goes once the run is in the journal.
  @Test func anInterruptedRunContinuesFromItsLastFinishedEpoch() throws {
    let program = { (table: String, resume: Bool) in
      """
      data = synthetic(users: 50, items: 60, seed: 3)
      c = compare([GRU4Rec], data, runs: 1, k: [10], epochs: 4, batch: 32, dim: 8, loss: "ce", threads: 1, to: "\(table)", resume: \(resume))
      print(c[0]["ndcg@10"])
      """
    }
    let whole = runLoom(program(Self.temporaryTable("whole"), false), builtins: .standard(StandardEnvironment(terminal: false)))
    #expect(whole.diagnostics.isEmpty, "\(whole.diagnostics)")
    let wholeNDCG = try #require(whole.output.split(separator: "\n").last.flatMap { Double($0) })

    // Stopped in epoch 3, after the second epoch's line was printed.
    let table = Self.temporaryTable("interrupted")
    final class Log { var text = "" }
    let log = Log()
    let interpreter = Interpreter(
      builtins: .standard(StandardEnvironment(terminal: false)), output: { log.text += $0 },
      isCancelled: { log.text.contains("epoch 2 ") })
    #expect(throws: (any Error).self) { try interpreter.run(SourceFile(name: "test.loom", text: program(table, false))) }
    #expect(!log.text.contains("epoch 3 "))
    #expect(log.text.contains("compare: interrupted in GRU4Rec; compare(..., to: \"\(table)\", resume: true)"))
    let directory = (table as NSString).deletingLastPathComponent
    let states = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".ckpt") }
    #expect(states.count == 1 && states[0].hasPrefix("table.run-") && states[0].hasSuffix("-1.ckpt"), "\(states)")

    let resumed = runLoom(program(table, true), builtins: .standard(StandardEnvironment(terminal: false)))
    #expect(resumed.diagnostics.isEmpty, "\(resumed.diagnostics)")
    #expect(resumed.output.contains("compare: GRU4Rec run 1 continues from"))
    #expect(resumed.output.contains("after epoch 2"))
    #expect(!resumed.output.contains("epoch 1 "), "epochs 1 and 2 are not trained again")
    #expect(resumed.output.contains("epoch 3 ") && resumed.output.contains("epoch 4 "))
    let resumedNDCG = try #require(resumed.output.split(separator: "\n").last.flatMap { Double($0) })
    #expect(resumedNDCG == wholeNDCG)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".ckpt") }.isEmpty)
  }

  @Test func aDamagedJournalStopsResumeWithAClearError() throws {
    let table = Self.temporaryTable("damaged")
    try Data("{\"version\": 1, \"runs\": [{\"run\": 1}]".utf8).write(
      to: URL(fileURLWithPath: CompareJournal.path(besideTable: table)))
    let result = runLoom(
      """
      data = synthetic(users: 50, items: 60, seed: 3)
      c = compare([Pop], data, runs: 1, k: [10], to: "\(table)", resume: true)
      """, builtins: .standard(StandardEnvironment(terminal: false)))
    let error = try #require(result.diagnostics.first)
    #expect(error.message.contains("could not resume from"))
    #expect(error.message.contains("not a compare journal"))
    #expect(error.help?.contains("start afresh") == true)
    // Nothing was trained and the damaged file is left for the user to inspect.
    #expect(!result.output.contains("compare: Pop run"))
    #expect(try String(contentsOfFile: CompareJournal.path(besideTable: table), encoding: .utf8).hasPrefix("{\"version\""))
  }

  @Test func resumeNeedsATable() {
    let result = runLoom(
      """
      data = synthetic(users: 50, items: 60, seed: 3)
      c = compare([Pop], data, runs: 1, k: [10], resume: true)
      """, builtins: .standard(StandardEnvironment(terminal: false)))
    #expect(result.diagnostics.first?.message.contains("needs to:") == true)
    #expect(result.diagnostics.first?.location.description == "2:44")
  }
}
