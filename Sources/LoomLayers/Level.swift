/// Where a symbolic value lives, checked when a model is built (language.md §2).
///
/// | level    | shape                    |
/// | token    | `[items, words, d]`      |
/// | item     | `[items, d]`             |
/// | sequence | `[batch, maxlen, d]`     |
/// | loss     | a scalar training term   |
public enum Level: String, Sendable, CustomStringConvertible {
  case token, item, sequence, loss
  public var description: String { rawValue }
  /// `item-level`, as error messages say it.
  public var adjective: String { rawValue + "-level" }
}

/// A model-building mistake, said so that the language can point at the argument at fault.
public struct LayerError: Error, Equatable, Sendable, CustomStringConvertible {
  public enum Kind: Equatable, Sendable {
    case level(expected: String, got: Level)
    case features
    case argument
    case data
    case shape
  }
  public var kind: Kind
  /// Which argument of the call is wrong (0-based), when one is.
  public var argument: Int?
  public var message: String
  public var help: String?

  public init(_ kind: Kind, argument: Int? = nil, _ message: String, help: String? = nil) {
    self.kind = kind
    self.argument = argument
    self.message = message
    self.help = help
  }

  public var description: String { message + (help.map { " (\($0))" } ?? "") }

  /// `selfatt expects a sequence-level value, got item-level 'vis'`; the language fills `name`
  /// with the argument's source text.
  public static func level(
    _ layer: String, argument: Int, expected: String, got: Level, help: String? = nil
  ) -> LayerError {
    LayerError(
      .level(expected: expected, got: got), argument: argument,
      "\(layer) expects \(expected) value, got \(got.adjective)", help: help)
  }
}
