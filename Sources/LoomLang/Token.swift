/// The kinds of token the lexer produces.
public enum TokenKind: Hashable, Sendable {
  case number(Double)
  case string(String)
  case identifier(String)
  case keyword(Keyword)
  case symbol(Symbol)
  /// A line break outside parentheses and brackets; it ends a statement.
  case newline
  case endOfInput
}

public enum Keyword: String, CaseIterable, Hashable, Sendable {
  case def, `return`, `for`, `in`, `if`, `else`, and, or, not, `true`, `false`, none
}

public enum Symbol: String, CaseIterable, Sendable {
  case leftParen = "("
  case rightParen = ")"
  case leftBracket = "["
  case rightBracket = "]"
  case leftBrace = "{"
  case rightBrace = "}"
  case comma = ","
  case colon = ":"
  case dot = "."
  case semicolon = ";"
  case assign = "="
  case equal = "=="
  case notEqual = "!="
  case less = "<"
  case lessEqual = "<="
  case greater = ">"
  case greaterEqual = ">="
  case plus = "+"
  case minus = "-"
  case star = "*"
  case slash = "/"
  case percent = "%"
}

public struct Token: Equatable, Sendable {
  public let kind: TokenKind
  public let span: SourceSpan

  /// How the token reads in an error message: `'('`, `number 64`, `end of input`.
  public var display: String {
    switch kind {
    case .number: return "number \(span.text)"
    case .string: return "string \(span.text)"
    case .identifier(let name): return "name '\(name)'"
    case .keyword(let keyword): return "'\(keyword.rawValue)'"
    case .symbol(let symbol): return "'\(symbol.rawValue)'"
    case .newline: return "end of line"
    case .endOfInput: return "end of input"
    }
  }
}
