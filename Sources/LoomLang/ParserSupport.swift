/// Token-stream helpers shared by the statement and expression rules.
extension Parser {
  var peek: Token { tokens[current] }
  var isAtEnd: Bool { peek.kind == .endOfInput }

  @discardableResult
  mutating func advance() -> Token {
    let token = tokens[current]
    if current < tokens.count - 1 { current += 1 }
    return token
  }

  func check(_ kind: TokenKind) -> Bool { peek.kind == kind }

  mutating func match(_ symbol: Symbol) -> Bool {
    guard check(.symbol(symbol)) else { return false }
    advance()
    return true
  }

  /// Whether `kind` comes next, possibly after line breaks (for `}` newline `else`).
  func checkAfterNewlines(_ kind: TokenKind) -> Bool {
    var index = current
    while tokens[index].kind == .newline, index < tokens.count - 1 { index += 1 }
    return tokens[index].kind == kind
  }

  mutating func skipSeparators() {
    while check(.newline) || check(.symbol(.semicolon)) { advance() }
  }

  /// Line breaks are insignificant inside record literals.
  mutating func skipNewlines() {
    while check(.newline) { advance() }
  }

  func error(_ kind: DiagnosticKind, _ message: String, at span: SourceSpan, help: String? = nil) -> Diagnostic {
    Diagnostic(kind, message, at: span, help: help, phase: .syntax)
  }

  /// An error at the current token; at the end of input inside an open construct it is
  /// reported as incomplete input instead.
  func unexpected(_ message: String, kind: DiagnosticKind = .unexpectedToken, help: String? = nil) -> Failure {
    if isAtEnd, let open = openConstructs.last {
      return Failure(diagnostic: incomplete(open))
    }
    return Failure(diagnostic: error(kind, message, at: peek.span, help: help))
  }

  /// Input ended while `open` was still open: point at it and say how to close it.
  func incomplete(_ open: Token) -> Diagnostic {
    let closing: [TokenKind: String] = [
      .symbol(.leftParen): ")", .symbol(.leftBracket): "]", .symbol(.leftBrace): "}",
    ]
    if let close = closing[open.kind] {
      return error(.incompleteInput, "unclosed \(open.display)", at: open.span, help: "close it with '\(close)'")
    }
    return error(.incompleteInput, "unfinished \(open.display) statement", at: open.span, help: "input ended before its block")
  }

  mutating func expect(_ symbol: Symbol, _ what: String, help: String? = nil) throws {
    guard match(symbol) else { throw unexpected("expected \(what), found \(peek.display)", help: help) }
  }

  mutating func expectKeyword(_ keyword: Keyword, _ what: String, help: String? = nil) throws {
    guard check(.keyword(keyword)) else { throw unexpected("expected \(what), found \(peek.display)", help: help) }
    advance()
  }

  mutating func expectIdentifier(_ what: String) throws -> (String, SourceSpan) {
    if case .identifier(let name) = peek.kind {
      let token = advance()
      return (name, token.span)
    }
    var help: String?
    if case .keyword(let keyword) = peek.kind { help = "'\(keyword.rawValue)' is a keyword and cannot be used as a name" }
    throw unexpected("expected \(what), found \(peek.display)", help: help)
  }

  /// Runs `body` one nesting level deeper, refusing input nested beyond ``maximumNesting``.
  mutating func nested<T>(_ body: (inout Parser) throws -> T) throws -> T {
    nesting += 1
    defer { nesting -= 1 }
    if nesting > Parser.maximumNesting {
      throw Failure(
        diagnostic: error(
          .nestingTooDeep, "expression or block nested too deeply (more than \(Parser.maximumNesting) levels)",
          at: peek.span, help: "split it into smaller pieces with intermediate names"))
    }
    return try body(&self)
  }
}
