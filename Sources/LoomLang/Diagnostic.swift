/// What went wrong, as a closed set so that tests assert the kind rather than the wording.
public enum DiagnosticKind: Equatable, Sendable {
  // Lexing
  case unexpectedCharacter
  case unterminatedString
  case invalidEscape
  case invalidNumber
  // Parsing
  case unexpectedToken
  case expectedExpression
  /// End of input inside an open construct; the REPL asks for another line.
  case incompleteInput
  case invalidAssignmentTarget
  case invalidParameters
  case positionalAfterKeyword
  /// A parameter, record field or keyword argument written twice.
  case duplicateName
  case nestingTooDeep
  case returnOutsideFunction
  // Names and calls
  case unknownName
  case unknownKeyword
  case missingArgument
  case tooManyArguments
  case notCallable
  // Values
  case typeMismatch
  case unknownField
  case indexOutOfRange
  case divisionByZero
  case invalidValue
  // Limits and control
  case recursionLimit
  case resourceLimit
  case interrupted
  /// An error reported by a builtin or host module (a level, shape or data error).
  case hostError
  case fileError
}

/// When a diagnostic was found: before running (syntax, check) or while running.
public enum DiagnosticPhase: Equatable, Sendable {
  case syntax
  case check
  case runtime

  /// The process exit status for a script that stops with this phase (sysexits.h).
  public var exitCode: Int32 {
    switch self {
    case .syntax, .check: return 65
    case .runtime: return 70
    }
  }
}

/// One error: what, where, and how to fix it when there is an obvious fix.
/// Rendered only by ``DiagnosticRenderer``.
public struct Diagnostic: Error, Equatable, Sendable, CustomStringConvertible {
  public var kind: DiagnosticKind
  public var phase: DiagnosticPhase
  public var message: String
  public var span: SourceSpan
  public var help: String?

  public init(
    _ kind: DiagnosticKind, _ message: String, at span: SourceSpan, help: String? = nil,
    phase: DiagnosticPhase = .runtime
  ) {
    self.kind = kind
    self.phase = phase
    self.message = message
    self.span = span
    self.help = help
  }

  public var location: SourceLocation { span.location }

  public var description: String { DiagnosticRenderer.render(self) }
}

/// A list of diagnostics thrown together (a script's syntax errors).
public struct DiagnosticList: Error, Sendable {
  public var diagnostics: [Diagnostic]
  public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}
