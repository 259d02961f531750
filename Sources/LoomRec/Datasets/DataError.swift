import Foundation

/// A problem with the user's data, located as precisely as the input allows.
///
/// Rendered as `error: FILE:LINE:COLUMN: what` plus an optional `help:` line, so the user can
/// jump to the offending field. Lines and columns are 1-based; for a .npy file `line` is the
/// row and `column` the feature index (both 1-based). Tests assert `kind`, not the wording.
public struct DataError: Error, Equatable, Sendable, CustomStringConvertible {
  public enum Kind: String, Equatable, Sendable {
    case missingFile
    case missingHeaderType
    case unknownType
    case wrongColumnCount
    case notANumber
    case nonFinite
    case unknownField
    case npyFormat
    case npyDtype
    case npyRowCount
    case idMismatch
    case emptyDataset
    case badOption
    /// A sentence-encoder model folder that cannot be used (a missing file, an unsupported
    /// architecture, weights whose header lies about their sizes).
    case badModel
  }

  public var kind: Kind
  public var file: String
  public var line: Int?
  public var column: Int?
  public var message: String
  public var help: String?

  public init(
    _ kind: Kind, file: String, line: Int? = nil, column: Int? = nil, _ message: String,
    help: String? = nil
  ) {
    self.kind = kind
    self.file = file
    self.line = line
    self.column = column
    self.message = message
    self.help = help
  }

  /// `file`, `file:line` or `file:line:column`.
  public var location: String {
    var text = file
    if let line { text += ":\(line)" }
    if let column { text += ":\(column)" }
    return text
  }

  public var description: String {
    var text = "error: \(location): \(message)"
    if let help { text += "\n  help: \(help)" }
    return text
  }
}

/// How a data error reads inside a Loom diagnostic, which adds its own "error:", "help:" and the
/// call's location: `load("nope")` says "nope: no such directory", not "error: error: nope: ...".
extension DataError: LocalizedError {
  public var errorDescription: String? { "\(location): \(message)" }
  public var recoverySuggestion: String? { help }
}
