import Foundation

/// Why a checkpoint could not be written, read or applied to a model.
///
/// Rendered as `error: FILE: what` plus a `help:` line that says what to do. Tests assert
/// `kind`, not the wording.
public struct CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
  public enum Kind: String, Equatable, Sendable {
    /// The file does not start with the magic bytes "LOOMCKPT".
    case notACheckpoint
    /// The format version is not one this build reads.
    case unsupportedVersion
    /// The file ends before the lengths in its fixed prefix say it should.
    case truncated
    /// The file goes on after the checksum.
    case trailingBytes
    /// The CRC-32 stored at the end does not match the bytes before it.
    case checksumMismatch
    /// The JSON header cannot be decoded or disagrees with the payload.
    case headerUnreadable
    /// The checkpoint was made for a data set with another number of items.
    case itemCountMismatch
    /// The model has a parameter the checkpoint lacks.
    case missingParameter
    /// The checkpoint has a parameter the model lacks.
    case unexpectedParameter
    /// A parameter's shape (or number of values) differs between checkpoint and model.
    case shapeMismatch
    /// A training state was asked for (`fit(..., resume:)` of an autosave) but the file is a
    /// saved model, or the other way round.
    case notATrainingState
    /// A training state saved by a run with other settings than the one resuming it.
    case settingsMismatch
    case cannotRead
    case cannotWrite
  }

  public var kind: Kind
  /// The checkpoint file (last path component), or "checkpoint" for one held in memory.
  public var file: String
  public var message: String
  public var help: String?

  public init(_ kind: Kind, file: String, _ message: String, help: String? = nil) {
    self.kind = kind
    self.file = file
    self.message = message
    self.help = help
  }

  public var description: String {
    var text = "error: \(file): \(message)"
    if let help { text += "\n  help: \(help)" }
    return text
  }
}

/// How a checkpoint error reads inside a Loom diagnostic, which adds its own "error:" and "help:".
extension CheckpointError: LocalizedError {
  public var errorDescription: String? { "\(file): \(message)" }
  public var recoverySuggestion: String? { help }
}
