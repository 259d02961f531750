/// The result of parsing: a program (possibly partial) and the syntax errors found.
public struct ParseResult: Sendable {
  public let program: Program
  public let diagnostics: [Diagnostic]

  /// True when the only problem is that input ended inside an open construct (a bracket, a
  /// block, a `def`/`for`/`if` header): the REPL then reads another line instead of failing.
  public var isIncomplete: Bool {
    !diagnostics.isEmpty && diagnostics.allSatisfy { $0.kind == .incompleteInput }
  }
}

/// A recursive-descent parser with one function per grammar rule (the rule is in each doc
/// comment) and panic-mode recovery: after a syntax error it skips to the next statement, so one
/// mistake is reported once, not as a cascade.
public struct Parser {
  /// Deepest nesting of expressions and blocks; beyond it the input is rejected rather than risk
  /// exhausting the stack while parsing, running or freeing it.
  public static let maximumNesting = 200

  var tokens: [Token]
  var current = 0
  var diagnostics: [Diagnostic] = []
  /// Open brackets, braces and statement headers around the current token; input that ends while
  /// this is positive is incomplete rather than wrong.
  var openConstructs: [Token] = []
  var nesting = 0
  var functionDepth = 0
  let file: SourceFile

  struct Failure: Error {
    let diagnostic: Diagnostic
  }

  /// Thrown after input nested too deeply has been reported: parsing stops there, since every
  /// enclosing level would otherwise report it again.
  struct Abandoned: Error {}

  init(file: SourceFile, tokens: [Token]) {
    self.file = file
    self.tokens = tokens
  }

  /// Lexes and parses a whole file. Lexing errors are reported alone, since the tokens after a
  /// bad character would only produce confusing follow-up errors.
  public static func parse(_ file: SourceFile) -> ParseResult {
    let (tokens, lexErrors) = Lexer.tokenize(file)
    if !lexErrors.isEmpty {
      return ParseResult(program: Program(file: file, statements: []), diagnostics: lexErrors)
    }
    var parser = Parser(file: file, tokens: tokens)
    let statements = parser.parseProgram()
    return ParseResult(program: Program(file: file, statements: statements), diagnostics: parser.diagnostics)
  }

  /// program := separator* (statement separator+)* endOfInput
  mutating func parseProgram() -> [Stmt] {
    var statements: [Stmt] = []
    while true {
      skipSeparators()
      if isAtEnd { break }
      if check(.symbol(.rightBrace)) {
        report(Failure(diagnostic: error(.unexpectedToken, "unmatched '}'", at: peek.span, help: "remove it")))
        while check(.symbol(.rightBrace)) || check(.newline) || check(.symbol(.semicolon)) { advance() }
        continue
      }
      do {
        if let statement = try parseStatementRecovering() { statements.append(statement) }
      } catch {
        break
      }
    }
    return statements
  }

  /// Parses one statement and the separator after it; on a syntax error records it and skips
  /// to the start of the next statement.
  mutating func parseStatementRecovering() throws(Abandoned) -> Stmt? {
    let start = current
    let savedOpen = openConstructs
    let savedNesting = nesting
    do {
      let statement = try parseStatement()
      try expectStatementEnd()
      return statement
    } catch let failure as Failure {
      report(failure, firstToken: tokens[start])
      if failure.diagnostic.kind == .nestingTooDeep { throw Abandoned() }
      openConstructs = savedOpen
      nesting = savedNesting
      synchronize(statementStart: start)
      return nil
    } catch {
      throw Abandoned()
    }
  }

  private mutating func report(_ failure: Failure, firstToken: Token? = nil) {
    var diagnostic = failure.diagnostic
    if diagnostic.kind != .incompleteInput, let first = firstToken, case .identifier(let word) = first.kind,
      let hint = Parser.foreignKeywordHints[word]
    {
      diagnostic.help = hint
    }
    diagnostics.append(diagnostic)
  }

  /// Words from other languages that start a statement, with what to write in Loom instead.
  static let foreignKeywordHints: [String: String] = [
    "while": "Loom has no while loop; use for i in range(n) { ... }",
    "elif": "write 'else if'",
    "let": "assign without a keyword: x = 1",
    "var": "assign without a keyword: x = 1",
    "fn": "define functions with def name(params) { ... }",
    "func": "define functions with def name(params) { ... }",
    "function": "define functions with def name(params) { ... }",
    "lambda": "define a named function with def name(params) { ... }",
  ]

  /// Skips to just after the end of the failed statement: the first line break or `;` at or
  /// after the error that is outside every brace opened since the statement began, or just
  /// before a `}` that closes an enclosing block. Counting from the statement's start means a
  /// record or block left open by the error is skipped whole rather than reported again.
  mutating func synchronize(statementStart: Int) {
    let errorIndex = current
    var braces = 0
    current = statementStart
    while !isAtEnd {
      switch peek.kind {
      case .newline, .symbol(.semicolon):
        if braces == 0 && current >= errorIndex {
          advance()
          return
        }
      case .symbol(.leftBrace):
        braces += 1
      case .symbol(.rightBrace):
        if braces == 0 {
          if current >= errorIndex { return }
        } else {
          braces -= 1
        }
      default:
        break
      }
      advance()
    }
  }

  /// statement := defStatement | forStatement | ifStatement | returnStatement
  ///            | assignment | expression
  mutating func parseStatement() throws -> Stmt {
    switch peek.kind {
    case .keyword(.def): return try parseDef()
    case .keyword(.for): return try parseFor()
    case .keyword(.if): return try parseIf()
    case .keyword(.return): return try parseReturn()
    case .keyword(.else):
      throw Failure(
        diagnostic: error(
          .unexpectedToken, "'else' without 'if'", at: peek.span,
          help: "write else on the same line as the closing brace of the if block"))
    default: return try parseAssignmentOrExpression()
    }
  }

  /// defStatement := 'def' IDENT '(' parameters? ')' block
  /// parameters := parameter (',' parameter)* ','?
  /// parameter := IDENT (':' expression)?
  mutating func parseDef() throws -> Stmt {
    let defToken = advance()
    openConstructs.append(defToken)
    defer { openConstructs.removeLast() }
    let (name, nameSpan) = try expectIdentifier("a function name after 'def'")
    try expect(.leftParen, "'(' after the function name", help: "write def \(name)(params) { ... }")
    var parameters: [Parameter] = []
    var seenDefault = false
    while !check(.symbol(.rightParen)) {
      let (parameterName, parameterSpan) = try expectIdentifier("a parameter name")
      if parameters.contains(where: { $0.name == parameterName }) {
        throw Failure(diagnostic: error(.duplicateName, "parameter '\(parameterName)' appears twice", at: parameterSpan))
      }
      var defaultValue: Expr?
      if match(.colon) {
        defaultValue = try parseExpression()
        seenDefault = true
      } else if seenDefault {
        throw Failure(
          diagnostic: error(
            .invalidParameters, "parameter '\(parameterName)' has no default but follows keyword parameters",
            at: parameterSpan, help: "put parameters without defaults first"))
      }
      parameters.append(Parameter(name: parameterName, defaultValue: defaultValue, span: parameterSpan))
      if !match(.comma) { break }
    }
    try expect(.rightParen, "',' or ')' in the parameter list")
    functionDepth += 1
    defer { functionDepth -= 1 }
    let (body, bodySpan) = try parseBlock(after: "the parameter list")
    let declaration = FunctionDeclaration(
      name: name, nameSpan: nameSpan, parameters: parameters, body: body,
      span: defToken.span.through(bodySpan))
    return .def(declaration)
  }

  /// forStatement := 'for' IDENT 'in' expression block
  mutating func parseFor() throws -> Stmt {
    let forToken = advance()
    openConstructs.append(forToken)
    defer { openConstructs.removeLast() }
    let (name, nameSpan) = try expectIdentifier("a loop variable after 'for'")
    try expectKeyword(.in, "'in' after the loop variable", help: "write for \(name) in list { ... }")
    let sequence = try parseExpression()
    let (body, bodySpan) = try parseBlock(after: "the loop's list")
    return .for(name, nameSpan, sequence, body, forToken.span.through(bodySpan))
  }

  /// ifStatement := 'if' expression block ('else' (ifStatement | block))?
  mutating func parseIf() throws -> Stmt {
    let ifToken = advance()
    openConstructs.append(ifToken)
    defer { openConstructs.removeLast() }
    let condition = try parseExpression()
    let (thenBody, thenSpan) = try parseBlock(after: "the condition")
    var end = thenSpan
    var elseBody: [Stmt]?
    if checkAfterNewlines(.keyword(.else)) {
      while check(.newline) { advance() }
      advance()
      if check(.keyword(.if)) {
        let nested = try nested { try $0.parseIf() }
        elseBody = [nested]
        end = nested.span
      } else {
        let (body, span) = try parseBlock(after: "'else'")
        elseBody = body
        end = span
      }
    }
    return .if(condition, thenBody, elseBody, ifToken.span.through(end))
  }

  /// returnStatement := 'return' expression?
  mutating func parseReturn() throws -> Stmt {
    let returnToken = advance()
    if functionDepth == 0 {
      throw Failure(
        diagnostic: error(
          .returnOutsideFunction, "'return' outside a function", at: returnToken.span,
          help: "return is only allowed inside def"))
    }
    if check(.newline) || check(.symbol(.semicolon)) || check(.symbol(.rightBrace)) || isAtEnd {
      return .return(nil, returnToken.span)
    }
    let value = try parseExpression()
    return .return(value, returnToken.span.through(value.span))
  }

  /// assignment := target '=' expression;  target := IDENT ('.' IDENT | '[' expression ']')*
  mutating func parseAssignmentOrExpression() throws -> Stmt {
    let expression = try parseExpression()
    guard check(.symbol(.assign)) else { return .expression(expression) }
    let equals = advance()
    guard let target = Parser.assignTarget(from: expression) else {
      throw Failure(
        diagnostic: error(
          .invalidAssignmentTarget, "cannot assign to this expression", at: expression.span,
          help: "assign to a name, a field (cfg.dim = 1) or an element (xs[0] = 1)"))
    }
    if isAtEnd || check(.newline) {
      throw Failure(diagnostic: error(.expectedExpression, "expected a value after '='", at: equals.span))
    }
    let value = try parseExpression()
    return .assign(target, value, expression.span.through(value.span))
  }

  static func assignTarget(from expression: Expr) -> AssignTarget? {
    switch expression {
    case .name(let name, let span): return .name(name, span)
    case .field(let base, let name, let span): return assignTarget(from: base).map { .field($0, name, span) }
    case .index(let base, let index, let span): return assignTarget(from: base).map { .index($0, index, span) }
    default: return nil
    }
  }

  /// block := '{' separator* (statement separator+)* '}'
  mutating func parseBlock(after what: String) throws -> ([Stmt], SourceSpan) {
    if checkAfterNewlines(.symbol(.leftBrace)) || checkAfterNewlines(.endOfInput) { skipNewlines() }
    guard check(.symbol(.leftBrace)) else {
      var help = "blocks are written in braces: { ... }"
      if check(.symbol(.colon)) { help = "Loom blocks use braces, not ':' — write { ... }" }
      if check(.symbol(.assign)) { help = "to compare, use '=='" }
      throw unexpected("expected '{' after \(what), found \(peek.display)", help: help)
    }
    let open = advance()
    openConstructs.append(open)
    defer { openConstructs.removeLast() }
    return try nested { parser in
      var statements: [Stmt] = []
      while true {
        parser.skipSeparators()
        if parser.check(.symbol(.rightBrace)) { break }
        if parser.isAtEnd {
          throw Failure(diagnostic: parser.incomplete(open))
        }
        if let statement = try parser.parseStatementRecovering() { statements.append(statement) }
      }
      let close = parser.advance()
      return (statements, open.span.through(close.span))
    }
  }

  /// After a statement: a line break, `;`, a closing `}` (left for the block) or the end.
  mutating func expectStatementEnd() throws {
    if check(.newline) || check(.symbol(.semicolon)) {
      advance()
      return
    }
    if check(.symbol(.rightBrace)) || isAtEnd { return }
    var help: String?
    if check(.symbol(.colon)) { help = "Loom blocks use braces, not ':'" }
    throw Failure(
      diagnostic: error(
        .unexpectedToken, "expected end of line after the statement, found \(peek.display)", at: peek.span,
        help: help ?? "put each statement on its own line or separate them with ';'"))
  }
}
