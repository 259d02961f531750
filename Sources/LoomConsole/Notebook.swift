import Foundation
import LoomFiles

/// What a code cell produced, in the order it happened.
public enum CellOutput: Sendable, Equatable {
  /// Printed text (`print`, tables, text plots), on "stdout" or "stderr".
  case stream(name: String, text: String)
  /// A rich result shown by Jupyter: a PNG image (a plot) or an HTML table (`summary`), with
  /// its plain-text stand-in.
  case display(png: Data?, html: String? = nil, text: String)
  /// The value of the cell's trailing expression, as the REPL shows it, with an HTML form for
  /// reports and tables (Jupyter's execute_result).
  case result(text: String, html: String?)
  /// The error that stopped the run: its kind, its message, and the lines of the rendered
  /// diagnostic (location, source line, caret, help) as the traceback.
  case error(name: String, value: String, traceback: [String])

  /// Printed text on standard output.
  public static func stdout(_ text: String) -> CellOutput { .stream(name: "stdout", text: text) }
}

/// One notebook cell. Code cells that did not run (after an error) keep a nil execution
/// count and no outputs.
public struct NotebookCell: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case code(executionCount: Int?, outputs: [CellOutput])
    case markdown
  }

  public var kind: Kind
  public var source: String
  /// Kept in the cell's metadata as Jupytext does, so the percent marker's title survives.
  public var title: String?

  public init(kind: Kind, source: String, title: String? = nil) {
    self.kind = kind
    self.source = source
    self.title = title
  }
}

/// A Jupyter notebook in nbformat 4.5, built from a script's cells and the outputs of the
/// cells that ran. It knows nothing of the interpreter: the runner hands it values.
///
/// Cells get the ids "cell-1", "cell-2", … by position (4.5 requires an id on every cell;
/// positional ids make the same script give the same file). Texts are stored as Jupyter
/// stores them, a list of lines each keeping its "\n"; images as base64 strings.
public struct Notebook: Sendable, Equatable {
  public var cells: [NotebookCell]

  public init(cells: [NotebookCell]) {
    self.cells = cells
  }

  /// The notebook of a percent script run in order. `outputs[k]` belongs to the k-th code
  /// cell; code cells past the end of `outputs` did not run (an earlier cell failed).
  /// Execution counts number the cells that ran: 1, 2, 3, …
  public init(script: [PercentCell], outputs: [[CellOutput]]) {
    var codeIndex = 0
    cells = script.map { cell in
      switch cell.kind {
      case .markdown:
        return NotebookCell(kind: .markdown, source: cell.source, title: cell.title)
      case .code:
        defer { codeIndex += 1 }
        let ran = codeIndex < outputs.count
        return NotebookCell(
          kind: .code(executionCount: ran ? codeIndex + 1 : nil, outputs: ran ? outputs[codeIndex] : []),
          source: cell.source, title: cell.title)
      }
    }
  }

  /// The .ipynb text: sorted keys, indented, no escaped slashes, ending in a newline.
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(NotebookFile(self))
    data.append(0x0A)
    return data
  }

  /// Writes the notebook so that the file at `path` is the old one or the complete new one
  /// (`writeAtomically`).
  public func write(to path: String) throws {
    let data = try jsonData()
    do {
      try writeAtomically(data, to: path)
    } catch let failure as AtomicWriteFailure {
      throw NotebookError.cannotWrite(path: path, reason: failure.reason)
    }
  }

  /// Jupyter's multi-line string: "a\nb\n" → ["a\n", "b\n"], "a\nb" → ["a\n", "b"], "" → [].
  /// A "\r\n" line end stays with its line.
  public static func lines(_ text: String) -> [String] {
    var result: [String] = []
    var current = ""
    for character in text {
      current.append(character)
      if character == "\n" || character == "\r\n" {
        result.append(current)
        current = ""
      }
    }
    if !current.isEmpty { result.append(current) }
    return result
  }
}

public enum NotebookError: Error, Equatable, CustomStringConvertible {
  case cannotWrite(path: String, reason: String)

  public var description: String {
    switch self {
    case .cannotWrite(let path, let reason):
      return "cannot write the notebook '\(path)': \(reason)"
    }
  }
}
