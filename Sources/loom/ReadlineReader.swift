@preconcurrency import CReadline
@preconcurrency import Glibc
import Foundation
import LoomConsole

/// readline's completion callbacks are plain C function pointers that cannot capture context,
/// so the session they complete against and the current candidates live here. Only the main
/// thread, inside readline(), touches them.
nonisolated(unsafe) private var completionSession: Session?
nonisolated(unsafe) private var completionCandidates: [String] = []
nonisolated(unsafe) private var completionIndex = 0

/// Reads lines with GNU readline: line editing, history in a file, tab completion through the
/// session, and Ctrl-C at the prompt clearing the line.
final class ReadlineReader: LineReader {
  let historyPath: String

  init(session: Session, historyPath: String) {
    self.historyPath = historyPath
    completionSession = session
    using_history()
    stifle_history(2000)
    _ = read_history(historyPath)  // ENOENT the first time, which is fine
    rl_readline_name = UnsafePointer(strdup("loom"))
    rl_completer_word_break_characters = UnsafePointer(strdup(Session.wordBreakCharacters))
    rl_attempted_completion_function = attemptCompletion
    _ = rl_variable_bind("show-all-if-ambiguous", "on")
    rl_signal_event_hook = clearLineOnInterrupt
  }

  func readLine(prompt: String) -> LineInput {
    Interrupt.clear()
    guard let raw = readline(prompt) else { return .end }
    defer { free(raw) }
    if Interrupt.isRequested {
      Interrupt.clear()
      FileHandle.standardOutput.write(Data("\n".utf8))
      return .interrupt
    }
    let line = String(cString: raw)
    if !line.allSatisfy(\.isWhitespace) { add_history(raw) }
    return .line(line)
  }

  func saveHistory() {
    _ = write_history(historyPath)
  }
}

/// Called by readline when a signal interrupts its read: on Ctrl-C, empty the line and return it.
private let clearLineOnInterrupt: @convention(c) () -> Int32 = {
  if Interrupt.isRequested {
    using_history()
    rl_replace_line("", 0)
    rl_done = 1
  }
  return 0
}

private let attemptCompletion:
  @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = {
    text, start, _ in
    rl_attempted_completion_over = 1  // no fallback to readline's own file-name completion
    guard let text, let session = completionSession, let buffer = rl_line_buffer else { return nil }
    let word = String(cString: text)
    let bytes = Array(String(cString: buffer).utf8)
    let before = String(decoding: bytes.prefix(Int(start)), as: UTF8.self)
    completionCandidates = session.completions(word: word, before: before)
    completionIndex = 0
    rl_completion_append_character = completionCandidates.contains { $0.hasSuffix("/") } ? 0 : 32
    return rl_completion_matches(text, nextCandidate)
  }

private let nextCandidate: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, _ in
  guard completionIndex < completionCandidates.count else { return nil }
  defer { completionIndex += 1 }
  return strdup(completionCandidates[completionIndex])
}
