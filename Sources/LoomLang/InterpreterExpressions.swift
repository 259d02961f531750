extension Interpreter {
  func evaluate(_ expression: Expr, in scope: Scope) throws -> Value {
    switch expression {
    case .number(let value, _): return .number(value)
    case .string(let text, _): return .string(text)
    case .bool(let flag, _): return .bool(flag)
    case .none: return .none

    case .name(let name, let span):
      if let value = scope.lookup(name) { return value }
      if let builtin = builtins[name] { return .builtin(builtin) }
      throw unknownName(name, at: span, in: scope)

    case .list(let elementExpressions, let span):
      var elements: [Value] = []
      elements.reserveCapacity(elementExpressions.count)
      for element in elementExpressions { elements.append(try evaluate(element, in: scope)) }
      let list = Value.list(elements)
      if list.nestingDepth(limit: limits.maximumValueNesting) > limits.maximumValueNesting {
        throw nestingError(at: span)
      }
      return list

    case .record(let entries, let span):
      var record = Record()
      for entry in entries { record[entry.key] = try evaluate(entry.value, in: scope) }
      let value = Value.record(record)
      if value.nestingDepth(limit: limits.maximumValueNesting) > limits.maximumValueNesting {
        throw nestingError(at: span)
      }
      return value

    case .unary(let op, let operandExpression, let span):
      let operand = try evaluate(operandExpression, in: scope)
      switch (op, operand) {
      case (.negate, .number(let number)): return .number(-number)
      case (.not, .bool(let flag)): return .bool(!flag)
      case (.negate, _):
        throw Diagnostic(
          .typeMismatch, "cannot negate \(ValueFormatter.describeForError(operand))", at: span,
          help: "'-' applies to numbers")
      case (.not, _):
        throw Diagnostic(
          .typeMismatch, "'not' needs true or false, got \(ValueFormatter.describeForError(operand))", at: span,
          help: "compare explicitly, e.g. not (x == 0)")
      }

    case .binary(let op, let leftExpression, let rightExpression, let span):
      let left = try evaluate(leftExpression, in: scope)
      let right = try evaluate(rightExpression, in: scope)
      return try Operators.apply(op, left, right, at: span, limits: limits)

    case .logical(let op, let leftExpression, let rightExpression, _):
      let left = try truth(of: leftExpression, for: op, in: scope)
      if op == .and && !left { return .bool(false) }
      if op == .or && left { return .bool(true) }
      return .bool(try truth(of: rightExpression, for: op, in: scope))

    case .call(let calleeExpression, let arguments, let span):
      let callee = try evaluate(calleeExpression, in: scope)
      var positional: [(Value, SourceSpan)] = []
      var keywords: [(String, SourceSpan, Value, SourceSpan)] = []
      for argument in arguments {
        let value = try evaluate(argument.value, in: scope)
        if let label = argument.label, let labelSpan = argument.labelSpan {
          keywords.append((label, labelSpan, value, argument.span))
        } else {
          positional.append((value, argument.value.span))
        }
      }
      return try invoke(callee, positional: positional, keywords: keywords, at: span, calleeSpan: calleeExpression.span)

    case .index(let baseExpression, let indexExpression, let span):
      let base = try evaluate(baseExpression, in: scope)
      let index = try evaluate(indexExpression, in: scope)
      return try element(of: base, at: index, span: span, indexSpan: indexExpression.span)

    case .field(let baseExpression, let name, let span):
      let base = try evaluate(baseExpression, in: scope)
      return try field(name, of: base, at: span)
    }
  }

  private func truth(of expression: Expr, for op: LogicalOperator, in scope: Scope) throws -> Bool {
    let value = try evaluate(expression, in: scope)
    guard case .bool(let flag) = value else {
      throw Diagnostic(
        .typeMismatch, "'\(op.rawValue)' needs true or false, got \(ValueFormatter.describeForError(value))",
        at: expression.span, help: "compare explicitly, e.g. x != 0")
    }
    return flag
  }

  /// `base[index]`: list and range elements (negative indices count from the end), characters of
  /// a string, record fields by name, host values' elements.
  func element(of base: Value, at index: Value, span: SourceSpan, indexSpan: SourceSpan) throws -> Value {
    switch base {
    case .list(let elements):
      return elements[try listIndex(index, count: elements.count, at: indexSpan)]
    case .range(let range):
      return .number(range.element(try listIndex(index, count: range.count, at: indexSpan)))
    case .string(let text):
      let characters = Array(text)
      return .string(String(characters[try listIndex(index, count: characters.count, at: indexSpan)]))
    case .record(let record):
      guard case .string(let name) = index else {
        throw Diagnostic(
          .typeMismatch, "a record is indexed by a field name, got \(ValueFormatter.describeForError(index))",
          at: indexSpan, help: "write r[\"name\"] or r.name")
      }
      guard let value = record[name] else { throw missingField(name, in: record, at: indexSpan) }
      return value
    case .host(let host):
      if let value = try host.element(at: index) { return value }
      throw Diagnostic(
        .typeMismatch, "a \(host.typeName) cannot be indexed with \(ValueFormatter.describeForError(index))", at: span)
    default:
      throw Diagnostic(
        .typeMismatch, "cannot index \(ValueFormatter.describeForError(base))", at: span,
        help: "lists, strings, ranges and records can be indexed")
    }
  }

  /// Checks an index against a length and turns a negative one into a position from the end.
  func listIndex(_ index: Value, count: Int, at span: SourceSpan) throws -> Int {
    guard case .number(let number) = index, number == number.rounded(), abs(number) < 9e15 else {
      throw Diagnostic(
        .typeMismatch, "an index must be a whole number, got \(ValueFormatter.describeForError(index))", at: span)
    }
    let position = Int(number) < 0 ? Int(number) + count : Int(number)
    guard position >= 0, position < count else {
      let help =
        count == 0
        ? "it is empty" : "it has \(count) element\(count == 1 ? "" : "s"): valid indices are 0...\(count - 1) or -\(count)...-1"
      throw Diagnostic(.indexOutOfRange, "index \(ValueFormatter.number(number)) is out of range", at: span, help: help)
    }
    return position
  }

  func field(_ name: String, of base: Value, at span: SourceSpan) throws -> Value {
    switch base {
    case .record(let record):
      guard let value = record[name] else { throw missingField(name, in: record, at: span) }
      return value
    case .host(let host):
      if let value = try host.field(name) { return value }
      let fields = host.fieldNames
      let help =
        Suggestion.help(for: name, among: fields)
        ?? (fields.isEmpty ? nil : "its fields are \(fields.joined(separator: ", "))")
      throw Diagnostic(.unknownField, "a \(host.typeName) has no field '\(name)'", at: span, help: help)
    default:
      throw Diagnostic(
        .typeMismatch, "\(ValueFormatter.describeForError(base)) has no field '\(name)'", at: span,
        help: "only records and some built-in values have fields")
    }
  }

  func missingField(_ name: String, in record: Record, at span: SourceSpan) -> Diagnostic {
    let help =
      Suggestion.help(for: name, among: record.keys)
      ?? (record.keys.isEmpty ? "the record is empty" : "its fields are \(record.keys.joined(separator: ", "))")
    return Diagnostic(.unknownField, "the record has no field '\(name)'", at: span, help: help)
  }
}
