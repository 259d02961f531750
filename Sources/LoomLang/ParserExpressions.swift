/// The expression rules, from lowest to highest precedence.
extension Parser {
  /// expression := orExpression
  mutating func parseExpression() throws -> Expr {
    try nested { try $0.parseOr() }
  }

  /// Counts each extra operand of a left-associative chain as one nesting level, because the
  /// tree it builds is as deep as the chain is long.
  private mutating func deepenChain() throws {
    nesting += 1
    if nesting > Parser.maximumNesting {
      throw Failure(
        diagnostic: error(
          .nestingTooDeep, "expression too long (more than \(Parser.maximumNesting) operations in a chain)",
          at: peek.span, help: "split it into smaller pieces with intermediate names"))
    }
  }

  /// orExpression := andExpression ('or' andExpression)*
  mutating func parseOr() throws -> Expr {
    let saved = nesting
    defer { nesting = saved }
    var left = try parseAnd()
    while check(.keyword(.or)) {
      advance()
      try deepenChain()
      let right = try parseAnd()
      left = .logical(.or, left, right, left.span.through(right.span))
    }
    return left
  }

  /// andExpression := notExpression ('and' notExpression)*
  mutating func parseAnd() throws -> Expr {
    let saved = nesting
    defer { nesting = saved }
    var left = try parseNot()
    while check(.keyword(.and)) {
      advance()
      try deepenChain()
      let right = try parseNot()
      left = .logical(.and, left, right, left.span.through(right.span))
    }
    return left
  }

  /// notExpression := 'not' notExpression | comparison
  mutating func parseNot() throws -> Expr {
    guard check(.keyword(.not)) else { return try parseComparison() }
    let notToken = advance()
    let operand = try nested { try $0.parseNot() }
    return .unary(.not, operand, notToken.span.through(operand.span))
  }

  /// comparison := additive (('==' | '!=' | '<' | '<=' | '>' | '>=') additive)?
  /// Comparisons do not chain: `a < b < c` is an error with a hint.
  mutating func parseComparison() throws -> Expr {
    let left = try parseAdditive()
    guard let op = comparisonOperator() else { return left }
    advance()
    let right = try parseAdditive()
    if comparisonOperator() != nil {
      throw Failure(
        diagnostic: error(
          .unexpectedToken, "comparisons cannot be chained", at: peek.span,
          help: "combine them with 'and': a < b and b < c"))
    }
    return .binary(op, left, right, left.span.through(right.span))
  }

  private func comparisonOperator() -> BinaryOperator? {
    guard case .symbol(let symbol) = peek.kind else { return nil }
    switch symbol {
    case .equal: return .equal
    case .notEqual: return .notEqual
    case .less: return .less
    case .lessEqual: return .lessEqual
    case .greater: return .greater
    case .greaterEqual: return .greaterEqual
    default: return nil
    }
  }

  /// additive := multiplicative (('+' | '-') multiplicative)*
  mutating func parseAdditive() throws -> Expr {
    let saved = nesting
    defer { nesting = saved }
    var left = try parseMultiplicative()
    while true {
      let op: BinaryOperator
      if check(.symbol(.plus)) { op = .add } else if check(.symbol(.minus)) { op = .subtract } else { break }
      advance()
      try deepenChain()
      let right = try parseMultiplicative()
      left = .binary(op, left, right, left.span.through(right.span))
    }
    return left
  }

  /// multiplicative := unary (('*' | '/' | '%') unary)*
  mutating func parseMultiplicative() throws -> Expr {
    let saved = nesting
    defer { nesting = saved }
    var left = try parseUnary()
    while true {
      let op: BinaryOperator
      if check(.symbol(.star)) {
        op = .multiply
      } else if check(.symbol(.slash)) {
        op = .divide
      } else if check(.symbol(.percent)) {
        op = .remainder
      } else {
        break
      }
      advance()
      try deepenChain()
      let right = try parseUnary()
      left = .binary(op, left, right, left.span.through(right.span))
    }
    return left
  }

  /// unary := '-' unary | postfix
  mutating func parseUnary() throws -> Expr {
    guard check(.symbol(.minus)) else { return try parsePostfix() }
    let minus = advance()
    let operand = try nested { try $0.parseUnary() }
    if case .number(let value, let span) = operand {
      return .number(-value, minus.span.through(span))
    }
    return .unary(.negate, operand, minus.span.through(operand.span))
  }

  /// postfix := primary ('(' arguments? ')' | '[' expression ']' | '.' IDENT)*
  mutating func parsePostfix() throws -> Expr {
    let saved = nesting
    defer { nesting = saved }
    var expression = try parsePrimary()
    while true {
      if check(.symbol(.leftParen)) {
        try deepenChain()
        let (arguments, close) = try parseArguments()
        expression = .call(expression, arguments, expression.span.through(close))
      } else if check(.symbol(.leftBracket)) {
        try deepenChain()
        openConstructs.append(advance())
        let index = try parseExpression()
        let close = peek
        try expect(.rightBracket, "']' after the index")
        openConstructs.removeLast()
        expression = .index(expression, index, expression.span.through(close.span))
      } else if check(.symbol(.dot)) {
        try deepenChain()
        advance()
        let (name, nameSpan) = try expectIdentifier("a field name after '.'")
        expression = .field(expression, name, expression.span.through(nameSpan))
      } else {
        return expression
      }
    }
  }

  /// arguments := argument (',' argument)* ','?;  argument := (IDENT ':')? expression
  /// Positional arguments come before keyword arguments.
  mutating func parseArguments() throws -> ([ArgumentNode], SourceSpan) {
    openConstructs.append(advance())
    defer { openConstructs.removeLast() }
    var arguments: [ArgumentNode] = []
    while !check(.symbol(.rightParen)) {
      if case .identifier(let label) = peek.kind, tokens[current + 1].kind == .symbol(.colon) {
        let labelToken = advance()
        advance()
        if arguments.contains(where: { $0.label == label }) {
          throw Failure(diagnostic: error(.duplicateName, "keyword argument '\(label)' appears twice", at: labelToken.span))
        }
        let value = try parseExpression()
        arguments.append(ArgumentNode(label: label, labelSpan: labelToken.span, value: value))
      } else {
        let value = try parseExpression()
        if arguments.contains(where: { $0.label != nil }) {
          throw Failure(
            diagnostic: error(
              .positionalAfterKeyword, "positional argument after keyword arguments", at: value.span,
              help: "put positional arguments first"))
        }
        arguments.append(ArgumentNode(label: nil, labelSpan: nil, value: value))
      }
      if !match(.comma) { break }
    }
    let close = peek
    try expect(.rightParen, "',' or ')' in the argument list")
    return (arguments, close.span)
  }

  /// primary := NUMBER | STRING | 'true' | 'false' | 'none' | IDENT | '(' expression ')' | list | record
  mutating func parsePrimary() throws -> Expr {
    let token = peek
    switch token.kind {
    case .number(let value):
      advance()
      return .number(value, token.span)
    case .string(let text):
      advance()
      return .string(text, token.span)
    case .keyword(.true):
      advance()
      return .bool(true, token.span)
    case .keyword(.false):
      advance()
      return .bool(false, token.span)
    case .keyword(.none):
      advance()
      return .none(token.span)
    case .identifier(let name):
      advance()
      return .name(name, token.span)
    case .symbol(.leftParen):
      openConstructs.append(advance())
      defer { openConstructs.removeLast() }
      let inner = try parseExpression()
      try expect(.rightParen, "')'")
      return inner
    case .symbol(.leftBracket):
      return try parseList()
    case .symbol(.leftBrace):
      return try parseRecord()
    default:
      var help: String?
      if case .keyword(let keyword) = token.kind {
        help = "'\(keyword.rawValue)' is a keyword and cannot start an expression"
      }
      throw unexpected("expected an expression, found \(token.display)", kind: .expectedExpression, help: help)
    }
  }

  /// list := '[' (expression (',' expression)* ','?)? ']'
  mutating func parseList() throws -> Expr {
    let open = advance()
    openConstructs.append(open)
    defer { openConstructs.removeLast() }
    var elements: [Expr] = []
    while !check(.symbol(.rightBracket)) {
      elements.append(try parseExpression())
      if !match(.comma) { break }
    }
    let close = peek
    try expect(.rightBracket, "',' or ']' in the list")
    return .list(elements, open.span.through(close.span))
  }

  /// record := '{' (key ':' expression (',' key ':' expression)* ','?)? '}';  key := IDENT | STRING
  mutating func parseRecord() throws -> Expr {
    let open = advance()
    openConstructs.append(open)
    defer { openConstructs.removeLast() }
    var entries: [RecordEntry] = []
    skipNewlines()
    while !check(.symbol(.rightBrace)) {
      let keyToken = peek
      let key: String
      switch keyToken.kind {
      case .identifier(let name): key = name
      case .string(let text): key = text
      default:
        throw unexpected(
          "expected a field name in the record, found \(keyToken.display)", help: "records look like {dim: 64, lr: 0.001}")
      }
      advance()
      if entries.contains(where: { $0.key == key }) {
        throw Failure(diagnostic: error(.duplicateName, "field '\(key)' appears twice in the record", at: keyToken.span))
      }
      try expect(.colon, "':' after the field name", help: "records look like {dim: 64, lr: 0.001}")
      skipNewlines()
      let value = try parseExpression()
      entries.append(RecordEntry(key: key, keySpan: keyToken.span, value: value))
      skipNewlines()
      if !match(.comma) { break }
      skipNewlines()
    }
    let close = peek
    try expect(.rightBrace, "',' or '}' in the record")
    return .record(entries, open.span.through(close.span))
  }
}
