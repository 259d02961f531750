import Foundation
import LoomLang

/// The REPL's `:` commands.
extension Session {
  public static let commands: [(name: String, usage: String, doc: String)] = [
    ("help", ":help [NAME]", "list builtins and models, or show NAME's signature and doc"),
    ("load", ":load FILE", "run a .loom file in this session"),
    ("vars", ":vars", "list the variables defined so far"),
    ("reset", ":reset", "forget all variables (builtins and prelude models stay)"),
    ("time", ":time EXPR", "run EXPR and report how long it took"),
    ("quit", ":quit", "leave the REPL (Ctrl-D also works)"),
  ]

  func runCommand(_ line: String) -> SubmitResult {
    let body = line.dropFirst()
    let name = String(body.prefix { !$0.isWhitespace })
    let argument = String(body.dropFirst(name.count)).trimmingCharacters(in: .whitespaces)
    switch name {
    case "help": return .complete(argument.isEmpty ? helpOverview() : help(for: argument, line: line))
    case "load": return load(argument, line: line)
    case "vars": return .complete(variables())
    case "reset":
      interpreter.reset()
      return .complete("all variables cleared")
    case "time": return time(argument, line: line)
    case "quit", "q", "exit": return .quit
    default:
      let file = SourceFile(name: "<repl>", text: line)
      let help = Suggestion.nearest(to: name, among: Session.commands.map(\.name)).map { "did you mean ':\($0)'?" }
      return .failed([
        Diagnostic(
          .unknownName, "unknown command ':\(name)'", at: SourceSpan(file: file, start: 0, end: name.utf8.count + 1),
          help: help ?? "the commands are " + Session.commands.map { ":" + $0.name }.joined(separator: " "))
      ])
    }
  }

  func helpOverview() -> String {
    var lines = ["Builtins:"]
    let builtins = interpreter.builtins.all
    let width = min(40, builtins.map(\.signature.description.count).max() ?? 0)
    for builtin in builtins {
      let signature = builtin.signature.description
      lines.append(
        "  " + signature.padding(toLength: max(width, signature.count), withPad: " ", startingAt: 0) + "  " + builtin.doc)
    }
    if !interpreter.preludeNames.isEmpty {
      lines.append("Models (prelude): " + interpreter.preludeNames.joined(separator: ", "))
    }
    lines.append("Commands:")
    for command in Session.commands {
      lines.append("  " + command.usage.padding(toLength: 12, withPad: " ", startingAt: 0) + "  " + command.doc)
    }
    lines.append("Type :help NAME for one builtin; the language reference is Docs/language.md.")
    return lines.joined(separator: "\n")
  }

  /// `:help NAME`'s text, or nil when nothing is called `name` (a notebook's inspect request).
  public func helpText(for name: String) -> String? {
    interpreter.lookupGlobal(name) == nil && !Session.commands.contains { $0.name == name } ? nil : help(for: name, line: "")
  }

  func help(for name: String, line: String) -> String {
    switch interpreter.lookupGlobal(name) {
    case .builtin(let builtin)?:
      return "\(builtin.signature)\n  \(builtin.doc)"
    case .function(let function)?:
      let origin = function.declaration.span.file.name
      return "def \(function.header)  (defined in \(origin))\n" + function.sourceText
    case let value?:
      return "\(name) is \(ValueFormatter.describeForError(value))"
    case nil:
      if let command = Session.commands.first(where: { $0.name == name || ":" + $0.name == name }) {
        return "\(command.usage)\n  \(command.doc)"
      }
      let suggestion = Suggestion.nearest(to: name, among: knownNames).map { "; did you mean '\($0)'?" } ?? ""
      return "no builtin, model or variable named '\(name)'\(suggestion)"
    }
  }

  func variables() -> String {
    interpreter.globalNames.map { name in
      let value = interpreter.global(name) ?? .none
      var shown = ValueFormatter.repr(value)
      if case .function(let function) = value { shown = "def " + function.header }
      if shown.count > 72 { shown = String(shown.prefix(69)) + "..." }
      return "\(name) = \(shown)"
    }.joined(separator: "\n")
  }

  func load(_ path: String, line: String) -> SubmitResult {
    let unquoted = path.hasPrefix("\"") && path.hasSuffix("\"") && path.count >= 2 ? String(path.dropFirst().dropLast()) : path
    guard !unquoted.isEmpty, let text = try? String(contentsOfFile: unquoted, encoding: .utf8) else {
      let file = SourceFile(name: "<repl>", text: line)
      let start = line.utf8.count - path.utf8.count
      return .failed([
        Diagnostic(
          .fileError, unquoted.isEmpty ? ":load needs a file name" : "cannot read '\(unquoted)'",
          at: SourceSpan(file: file, start: start, end: line.utf8.count), help: "usage: :load FILE.loom")
      ])
    }
    switch runSource(text, name: unquoted) {
    case .incomplete:
      let parsed = Parser.parse(SourceFile(name: unquoted, text: text))
      return .failed(parsed.diagnostics)
    case .complete: return .complete("loaded \(unquoted)")
    case let other: return other
    }
  }

  func time(_ expression: String, line: String) -> SubmitResult {
    let start = Date()
    let result = runSource(expression, name: "<repl>")
    let seconds = Date().timeIntervalSince(start)
    let elapsed = "time: " + (seconds < 1 ? String(format: "%.1f ms", seconds * 1000) : String(format: "%.2f s", seconds))
    switch result {
    case .complete(let shown): return .complete(shown.isEmpty ? elapsed : shown + "\n" + elapsed)
    case .incomplete:
      let file = SourceFile(name: "<repl>", text: line)
      return .failed([
        Diagnostic(
          .incompleteInput, ":time needs a complete expression on one line",
          at: SourceSpan(file: file, start: 0, end: line.utf8.count))
      ])
    case let other: return other
    }
  }
}

extension Error {
  /// The diagnostics an interpreter error carries.
  var diagnostics: [Diagnostic] {
    if let list = self as? DiagnosticList { return list.diagnostics }
    if let diagnostic = self as? Diagnostic { return [diagnostic] }
    return [Diagnostic(.hostError, "\(self)", at: .unknown)]
  }
}
