import ArgumentParser
import Foundation
import LoomConsole
import LoomLang

/// `loom` (or `loom repl`): the interactive REPL on GNU readline. When standard input is not a
/// terminal, lines are read plainly with no prompts and the first error stops the run, so
/// `loom < script.loom` behaves like a script.
struct Repl: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Start the interactive REPL (the default command).")

  @Option(help: "History file.")
  var history: String = (ProcessInfo.processInfo.environment["HOME"] ?? ".") + "/.loom_history"

  func run() throws {
    try DistributedRun.requireOneProcess("the REPL")
    Interrupt.install()
    let session = Session(
      builtins: LoomBuiltins.all(),
      write: { FileHandle.standardOutput.write(Data($0.utf8)) },
      writeError: { FileHandle.standardError.write(Data($0.utf8)) },
      isCancelled: { Interrupt.isRequested })
    let writeError: (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    if isatty(0) != 0 {
      session.write("Loom — :help lists builtins and commands, :quit leaves.\n")
      let reader = ReadlineReader(session: session, historyPath: history)
      let console = Console(session: session, reader: reader, writeError: writeError)
      console.run()
      reader.saveHistory()
      session.write("\n")
    } else {
      let console = Console(session: session, reader: PlainLineReader(), writeError: writeError)
      console.prompt = ""
      console.continuationPrompt = ""
      console.stopsAtFirstError = true
      let status = console.run()
      if status != 0 { throw ExitCode(status) }
    }
  }
}

/// Reads standard input line by line, without prompts or line editing.
final class PlainLineReader: LineReader {
  func readLine(prompt: String) -> LineInput {
    guard let line = Swift.readLine(strippingNewline: true) else { return .end }
    return .line(line)
  }
}
