import ArgumentParser
import Foundation
import LoomConsole
import LoomLang

/// `loom run FILE.loom [--set name=value ...]`: runs a script and stops at its first error.
struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a Loom script.",
    discussion: "Exit status: 0 success, 64 bad usage, 65 syntax or check error, 70 runtime error.")

  @Argument(help: "The script to run.")
  var file: String

  @Option(
    name: .customLong("set"),
    help: ArgumentHelp(
      "Override a top-level binding, e.g. --set dim=32 or --set name=ml-100k (repeatable).",
      valueName: "name=value"))
  var overrides: [String] = []

  func run() throws {
    var values: [String: Value] = [:]
    for assignment in overrides {
      let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, Self.isName(parts[0]) else {
        throw ValidationError("--set expects name=value, got '\(assignment)'")
      }
      values[parts[0]] = LiteralValue.parse(parts[1]) ?? .string(parts[1])
    }
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
      throw ValidationError("cannot read '\(file)'")
    }
    Interrupt.install(alsoOnTerminate: DistributedRun.group != nil)
    let interpreter = Interpreter(
      builtins: LoomBuiltins.all(),
      output: { text in
        FileHandle.standardOutput.write(Data(text.utf8))
      },
      isCancelled: { Interrupt.isRequested })
    // Under mpirun, what the script prints is rank 0's to say (the other ranks' stdout is closed).
    interpreter.errorOutput = { if DistributedRun.isLeader { FileHandle.standardError.write(Data($0.utf8)) } }
    interpreter.overrides = values
    let source = SourceFile(name: file, text: text)
    if DistributedRun.isLeader { warnAboutUnusedOverrides(values.keys, in: source) }
    do {
      try interpreter.run(source)
    } catch {
      let rendered = DiagnosticRenderer.render(error.diagnostics)
      FileHandle.standardError.write(Data((DistributedRun.errorPrefix + rendered + "\n").utf8))
      throw ExitCode(Console.exitStatus(for: error.diagnostics))
    }
  }

  static func isName(_ text: String) -> Bool {
    guard let first = text.first, first.isLetter || first == "_" else { return false }
    return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && text.allSatisfy(\.isASCII)
  }

  /// A `--set` name that the script never assigns at the top level is probably misspelled.
  private func warnAboutUnusedOverrides(_ names: Dictionary<String, Value>.Keys, in source: SourceFile) {
    let parsed = Parser.parse(source)
    var assigned: [String] = []
    for statement in parsed.program.statements {
      if case .assign(.name(let name, _), _, _) = statement { assigned.append(name) }
    }
    for name in names where !assigned.contains(name) {
      var message = "warning: --set \(name): the script never assigns '\(name)' at the top level"
      if let near = Suggestion.nearest(to: name, among: assigned) { message += "; did you mean '\(near)'?" }
      FileHandle.standardError.write(Data((message + "\n").utf8))
    }
  }
}

extension Error {
  var diagnostics: [Diagnostic] {
    if let list = self as? DiagnosticList { return list.diagnostics }
    if let diagnostic = self as? Diagnostic { return [diagnostic] }
    return [Diagnostic(.hostError, "\(self)", at: .unknown)]
  }
}
