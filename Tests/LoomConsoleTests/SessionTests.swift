import Foundation
import LoomLang
import Testing

@testable import LoomConsole

/// A session whose printed output is collected in a string.
final class CapturedSession {
  var output = ""
  lazy var session = Session(write: { [unowned self] in self.output += $0 })
}

extension SubmitResult {
  var shown: String? {
    if case .complete(let text) = self { return text }
    return nil
  }
  var isIncomplete: Bool {
    if case .incomplete = self { return true }
    return false
  }
  var diagnostics: [Diagnostic] {
    if case .failed(let diagnostics) = self { return diagnostics }
    return []
  }
}

struct SessionTests {
  @Test func multiLineInputIsIncompleteUntilItCloses() {
    let captured = CapturedSession()
    let session = captured.session
    #expect(session.submit("def f(x,").isIncomplete)
    #expect(session.submit("def f(x,\n      by: 2) {").isIncomplete)
    #expect(session.submit("def f(x,\n      by: 2) {\n  x * by").isIncomplete)
    #expect(session.submit("def f(x,\n      by: 2) {\n  x * by\n}").shown == "")
    #expect(session.submit("cfg = {dim: 64,").isIncomplete)
    #expect(session.submit("cfg = {dim: 64,\n lr: 1e-3}").shown == "")
    #expect(session.submit("f(cfg.dim, by: 3)").shown == "192")
    #expect(session.submit("if true {").isIncomplete)
  }

  @Test func errorsKeepTheStateAndTheSessionGoesOn() {
    let captured = CapturedSession()
    let session = captured.session
    #expect(session.submit("d = 64").shown == "")
    let failure = session.submit("e = d / 0")
    #expect(failure.diagnostics.map(\.kind) == [.divisionByZero])
    #expect(session.submit("x = (1 +* 2)").diagnostics.map(\.kind) == [.expectedExpression])
    #expect(session.submit("dd").diagnostics.first?.help == "did you mean 'd'?")
    #expect(session.submit("d + 1").shown == "65")
    #expect(session.submit("print(\"hi\")\n\"shown\"").shown == "\"shown\"")
    #expect(captured.output == "hi\n")
  }

  @Test func functionsMayReferToGlobalsDefinedLater() {
    let session = CapturedSession().session
    #expect(session.submit("def g() { later + 1 }").shown == "")
    #expect(session.submit("g()").diagnostics.map(\.kind) == [.unknownName])
    #expect(session.submit("later = 1").shown == "")
    #expect(session.submit("g()").shown == "2")
  }

  @Test func varsResetAndHelp() {
    let session = CapturedSession().session
    _ = session.submit("b = [1, \"x\"]")
    _ = session.submit("def a(v, by: 2) { v }")
    #expect(session.submit(":vars").shown == "a = def a(v, by: 2)\nb = [1, \"x\"]")
    #expect(session.submit(":reset").shown == "all variables cleared")
    #expect(session.submit(":vars").shown == "")
    #expect(
      session.submit(":help len").shown
        == "len(value)\n  number of elements of a list, range or record, or characters of a string")
    #expect(
      session.submit(":help MIN").shown?.hasPrefix(
        "def MIN(data, dim: 64, maxlen: 50, alpha: 0.1, beta: 0.1, dropout: 0.1)  (defined in prelude.loom)") == true)
    #expect(session.submit(":help lenn").shown == "no builtin, model or variable named 'lenn'; did you mean 'len'?")
    let overview = session.submit(":help").shown ?? ""
    #expect(overview.contains("  range(start, stop: none, step: 1)"))
    #expect(overview.contains("Models (prelude): FDSA, GRU4Rec, MFN4Rec"))
    #expect(session.submit(":hepl").diagnostics.first?.help == "did you mean ':help'?")
    if case .quit = session.submit(":quit") {} else { Issue.record(":quit should quit") }
  }

  @Test func timeReportsTheValueAndTheDuration() throws {
    let session = CapturedSession().session
    let shown = try #require(session.submit(":time sum(range(1000))").shown)
    let lines = shown.split(separator: "\n")
    #expect(lines.first == "499500")
    #expect(lines.last?.hasPrefix("time: ") == true)
    #expect(session.submit(":time len([1,").diagnostics.map(\.kind) == [.incompleteInput])
  }

  @Test func loadRunsAFileInTheSession() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("session-load-\(UUID()).loom").path
    try "loaded_dim = 32\nprint(\"loading\")\n".write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let captured = CapturedSession()
    #expect(captured.session.submit(":load \(path)").shown == "loaded \(path)")
    #expect(captured.output == "loading\n")
    #expect(captured.session.submit("loaded_dim * 2").shown == "64")
    let missing = captured.session.submit(":load /nonexistent/file.loom").diagnostics
    #expect(missing.map(\.kind) == [.fileError])
    #expect(missing.first?.location.column == 7)
  }

  @Test func cancellationInterruptsALongLoopAndTheSessionContinues() {
    var cancel = false
    var output = ""
    let session = Session(write: { output += $0 }, isCancelled: { cancel })
    cancel = true
    #expect(session.submit("for i in range(1e12) { x = i }").diagnostics.map(\.kind) == [.interrupted])
    cancel = false
    #expect(session.submit("1 + 1").shown == "2")
  }
}
