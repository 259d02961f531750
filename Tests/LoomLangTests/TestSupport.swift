import Testing

@testable import LoomLang

/// Runs `source` on a fresh interpreter; returns what it printed and the diagnostics it stopped with.
func runLoom(
  _ source: String, builtins: Builtins = .core(), limits: InterpreterLimits = InterpreterLimits(),
  isCancelled: @escaping () -> Bool = { false }
) -> (output: String, diagnostics: [Diagnostic]) {
  var output = ""
  let interpreter = Interpreter(builtins: builtins, output: { output += $0 }, isCancelled: isCancelled, limits: limits)
  do {
    try interpreter.run(SourceFile(name: "test.loom", text: source))
    return (output, [])
  } catch {
    return (output, error.diagnostics)
  }
}

/// The caret line of a rendered diagnostic (the line after the source line).
func caretLine(_ diagnostic: Diagnostic) -> String {
  let lines = DiagnosticRenderer.render(diagnostic).split(separator: "\n").map(String.init)
  return lines.first { $0.contains("^") }.map { String($0.drop { $0 != "|" }.dropFirst(2)) } ?? ""
}

/// A standard-library interpreter that keeps every printed line, for tests that read its output
/// and then its globals.
final class RecordingInterpreter {
  let interpreter: Interpreter
  private(set) var lines: [String] = []

  init() {
    interpreter = Interpreter(builtins: .standard(StandardEnvironment(terminal: false)), output: { _ in })
    interpreter.output = { [unowned self] in self.lines.append($0) }
  }

  func run(_ text: String) throws {
    try interpreter.run(SourceFile(name: "<test>", text: text))
  }
}
