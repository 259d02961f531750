import Foundation

/// Everything that can go wrong between a table and an image. Each case carries what a user
/// needs to fix it; `description` is the sentence shown after `error:`.
public enum PlotError: Error, Equatable, CustomStringConvertible {
  /// The output name does not end in .png, .svg or .pdf.
  case unknownExtension(path: String)
  /// No gnuplot program at this path.
  case gnuplotMissing(executable: String)
  /// gnuplot ran and exited with a non-zero status; `message` is what it printed on stderr.
  case gnuplotFailed(status: Int32, message: String)
  /// A column named in `x:`, `y:`, `by:` or `error:` appears in no row of the table.
  case missingColumn(figure: String, column: String, available: [String])
  /// A column that must hold numbers holds text in the given row (0-based).
  case notANumber(figure: String, column: String, row: Int, text: String)
  /// Nothing left to draw (no rows, or no finite values).
  case noData(figure: String, reason: String)
  /// Matrix or label counts that do not fit together, or arguments that contradict each other.
  case badShape(figure: String, reason: String)
  /// The image could not be stored at its destination.
  case cannotWrite(path: String, reason: String)

  public var description: String {
    switch self {
    case .unknownExtension(let path):
      return "cannot tell the image format of '\(path)': use a file name ending in .png, .svg or .pdf"
    case .gnuplotMissing(let executable):
      return "gnuplot is not installed (no program at '\(executable)'); "
        + "install it with `apt-get install gnuplot-nox` (Debian, Ubuntu) or `brew install gnuplot` (macOS)"
    case .gnuplotFailed(let status, let message):
      let text = message.isEmpty ? "no message" : message
      return "gnuplot failed (exit status \(status)): \(text)"
    case .missingColumn(let figure, let column, let available):
      let known = available.isEmpty ? "the table has no columns" : "columns are: " + available.joined(separator: ", ")
      return "\(figure): no column '\(column)' in the table; \(known)"
    case .notANumber(let figure, let column, let row, let text):
      return "\(figure): column '\(column)' holds text \"\(text)\" in row \(row); it must hold numbers"
    case .noData(let figure, let reason):
      return "\(figure): nothing to draw: \(reason)"
    case .badShape(let figure, let reason):
      return "\(figure): \(reason)"
    case .cannotWrite(let path, let reason):
      return "cannot write '\(path)': \(reason)"
    }
  }
}
