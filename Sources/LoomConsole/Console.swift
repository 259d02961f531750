import LoomLang

/// The read-eval-print loop: reads lines, keeps multi-line input together until the parser says
/// it is complete, and prints results and diagnostics. Terminal details (readline, history,
/// signals) stay in the line reader.
public final class Console {
  public let session: Session
  let reader: LineReader
  let write: (String) -> Void
  let writeError: (String) -> Void
  public var prompt = "loom> "
  public var continuationPrompt = "  ... "
  /// Stop at the first error, as a script does (used when standard input is not a terminal).
  public var stopsAtFirstError = false
  /// Called before each input is submitted (the console's moment to reset a Ctrl-C flag).
  public var willSubmit: (() -> Void)?

  /// - Parameters:
  ///   - writeError: where diagnostics go; by default the session's writer.
  public init(session: Session, reader: LineReader, writeError: ((String) -> Void)? = nil) {
    self.session = session
    self.reader = reader
    self.write = session.write
    self.writeError = writeError ?? session.write
  }

  /// Runs until `:quit` or the end of input (or the first error, if ``stopsAtFirstError``).
  /// Returns the exit status: 0, or 65/70 for the last input's syntax or runtime error.
  @discardableResult
  public func run() -> Int32 {
    var pending: [String] = []
    var status: Int32 = 0
    while true {
      let input = reader.readLine(prompt: pending.isEmpty ? prompt : continuationPrompt)
      switch input {
      case .end:
        if !pending.isEmpty {
          // Input ended inside an open construct: report where.
          let text = pending.joined(separator: "\n")
          let parsed = Parser.parse(SourceFile(name: "<stdin>", text: text))
          writeError(DiagnosticRenderer.render(parsed.diagnostics) + "\n")
          return 65
        }
        return status
      case .interrupt:
        pending.removeAll()
        continue
      case .line(let line):
        pending.append(line)
      }
      let text = pending.joined(separator: "\n")
      willSubmit?()
      let result = session.submit(text)
      switch result {
      case .incomplete:
        continue
      case .quit:
        return status
      case .complete(let shown):
        if !shown.isEmpty { write(shown + "\n") }
        status = 0
      case .failed(let diagnostics):
        writeError(DiagnosticRenderer.render(diagnostics) + "\n")
        status = Console.exitStatus(for: diagnostics)
        if stopsAtFirstError { return status }
      }
      pending.removeAll()
    }
  }

  /// 65 for syntax and check errors, 70 for runtime errors, 130 when interrupted by Ctrl-C.
  public static func exitStatus(for diagnostics: [Diagnostic]) -> Int32 {
    guard let first = diagnostics.first else { return 0 }
    if first.kind == .interrupted { return 130 }
    return first.phase.exitCode
  }
}
