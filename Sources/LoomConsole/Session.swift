import Foundation
import LoomLang

/// What became of one submitted piece of input.
public enum SubmitResult {
  /// It ran. The text is what the REPL shows after any printed output: the value of a final
  /// expression (strings quoted), or a command's report; empty when there is nothing to show.
  case complete(String)
  /// Input ended inside an open bracket, brace or statement: read another line and resubmit
  /// the whole text.
  case incomplete
  /// Syntax, check or runtime errors. State assigned before the error is kept.
  case failed([Diagnostic])
  /// `:quit`.
  case quit
}

/// The engine behind the REPL and notebooks: it runs inputs against one interpreter whose state
/// survives errors, and answers console commands and completion requests. It knows nothing of
/// terminals; the console around it reads lines and prints.
public final class Session {
  public let interpreter: Interpreter
  /// Receives printed output (the same writer the interpreter prints to).
  public let write: (String) -> Void
  var inputNumber = 0
  /// The value of the last input's trailing expression, if it had one (a notebook front end
  /// shows its HTML form too).
  public private(set) var lastValue: Value?

  /// - Parameters:
  ///   - builtins: the registry, with any modules' builtins already registered.
  ///   - write: where output goes: the terminal, a test buffer, a notebook cell.
  ///   - isCancelled: polled while running; true stops the running input (Ctrl-C).
  public init(
    builtins: Builtins = .core(), limits: InterpreterLimits = InterpreterLimits(),
    write: @escaping (String) -> Void, writeError: ((String) -> Void)? = nil, isCancelled: @escaping () -> Bool = { false }
  ) {
    self.write = write
    self.interpreter = Interpreter(builtins: builtins, output: write, isCancelled: isCancelled, limits: limits)
    interpreter.errorOutput = writeError
  }

  /// Runs one input: Loom source (possibly several lines), or a console command starting with `:`.
  public func submit(_ text: String) -> SubmitResult {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.isEmpty { return .complete("") }
    if trimmed.hasPrefix(":") { return runCommand(trimmed) }
    return runSource(text, name: "<repl>")
  }

  func runSource(_ text: String, name: String) -> SubmitResult {
    inputNumber += 1
    lastValue = nil
    let file = SourceFile(name: name, text: text)
    let parsed = Parser.parse(file)
    if parsed.isIncomplete { return .incomplete }
    if !parsed.diagnostics.isEmpty { return .failed(parsed.diagnostics) }
    do {
      let value = try interpreter.run(parsed.program, interactive: true)
      lastValue = value
      return .complete(value.map(ValueFormatter.repr) ?? "")
    } catch {
      return .failed(error.diagnostics)
    }
  }

  /// Names a program can use here: keywords, builtins, prelude models and variables.
  public var knownNames: [String] {
    Array(
      Set(
        Keyword.allCases.map(\.rawValue) + interpreter.builtins.names + interpreter.preludeNames
          + interpreter.globalNames)
    ).sorted()
  }
}
