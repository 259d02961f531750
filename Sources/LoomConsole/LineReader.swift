/// What reading one line produced.
public enum LineInput: Equatable {
  case line(String)
  /// Ctrl-C at the prompt: discard the current (possibly multi-line) input.
  case interrupt
  /// Ctrl-D or end of the input stream.
  case end
}

/// A source of input lines: GNU readline in the terminal, plain standard input when it is not a
/// terminal, or a list of lines in tests.
public protocol LineReader: AnyObject {
  func readLine(prompt: String) -> LineInput
}

/// Reads from a fixed list of lines (tests, piped programs already read into memory).
public final class ScriptedLineReader: LineReader {
  private var inputs: [LineInput]
  /// The prompts shown, in order.
  public private(set) var prompts: [String] = []

  public init(_ inputs: [LineInput]) { self.inputs = inputs }
  public convenience init(lines: [String]) { self.init(lines.map(LineInput.line)) }

  public func readLine(prompt: String) -> LineInput {
    prompts.append(prompt)
    return inputs.isEmpty ? .end : inputs.removeFirst()
  }
}
