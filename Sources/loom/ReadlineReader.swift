@preconcurrency import CReadline
import Foundation
@preconcurrency import Glibc
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
    // Readline's own SIGINT handling would keep reading after Ctrl-C; instead our handler
    // stays installed and our getc turns an interrupted read into an empty, accepted line.
    rl_catch_signals = 0
    rl_getc_function = readKeyOrInterrupt
  }

  func readLine(prompt: String) -> LineInput {
    Interrupt.clear()
    guard let raw = readline(prompt) else { return .end }
    defer { free(raw) }
    if Interrupt.isRequested {
      Interrupt.clear()
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

/// Reads one key for readline. When Ctrl-C interrupts the read, it empties the line and
/// returns Enter, so readline returns at once; the reader then sees the flag and reports
/// `.interrupt`. `using_history()` keeps a recalled history entry from being blanked.
private let readKeyOrInterrupt: @convention(c) (UnsafeMutablePointer<FILE>?) -> Int32 = { stream in
  var byte: UInt8 = 0
  while true {
    let count = read(stream.map(fileno) ?? 0, &byte, 1)
    if count == 1 { return Int32(byte) }
    if count == 0 { return EOF }
    if errno != EINTR { return EOF }
    if Interrupt.isRequested {
      using_history()
      rl_replace_line("", 0)
      rl_redisplay()
      _ = fputs("^C", stdout)
      return 10
    }
  }
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
    // Readline adds this character only when a single candidate completes the word.
    let appendsSpace = completionCandidates.count == 1 && session.completionAppendsSpace(completionCandidates[0], before: before)
    rl_completion_append_character = appendsSpace ? 32 : 0
    return rl_completion_matches(text, nextCandidate)
  }

private let nextCandidate: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, _ in
  guard completionIndex < completionCandidates.count else { return nil }
  defer { completionIndex += 1 }
  return strdup(completionCandidates[completionIndex])
}
