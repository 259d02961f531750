/// How a statement list finished: normally (with the value of its last statement, which is a
/// function's result when there is no `return`) or by `return`.
enum Flow {
  case normal(Value)
  case returned(Value)
}

extension Interpreter {
  func execute(_ statements: [Stmt], in scope: Scope) throws -> Flow {
    var last = Value.none
    for statement in statements {
      try tick(statement.span)
      switch try execute(statement, in: scope) {
      case .normal(let value): last = value
      case .returned(let value): return .returned(value)
      }
    }
    return .normal(last)
  }

  func execute(_ statement: Stmt, in scope: Scope) throws -> Flow {
    switch statement {
    case .expression(let expression):
      return .normal(try evaluate(expression, in: scope))

    case .assign(let target, let valueExpression, _):
      if scope === globals, case .name(let name, _) = target, let override = overrides[name] {
        scope.values[name] = override
        return .normal(.none)
      }
      let value = try evaluate(valueExpression, in: scope)
      try assign(value, to: target, in: scope)
      return .normal(.none)

    case .def(let declaration):
      scope.values[declaration.name] = .function(Function(declaration: declaration, closure: scope))
      return .normal(.none)

    case .return(let expression, _):
      return .returned(try expression.map { try evaluate($0, in: scope) } ?? .none)

    case .for(let name, _, let sequenceExpression, let body, _):
      let sequence = try evaluate(sequenceExpression, in: scope)
      var result = Flow.normal(.none)
      try forEachElement(of: sequence, at: sequenceExpression.span) { element in
        scope.values[name] = element
        let flow = try execute(body, in: scope)
        if case .returned = flow {
          result = flow
          return false
        }
        return true
      }
      if case .returned = result { return result }
      return .normal(.none)

    case .if(let conditionExpression, let thenBody, let elseBody, _):
      let condition = try evaluate(conditionExpression, in: scope)
      guard case .bool(let holds) = condition else {
        throw Diagnostic(
          .typeMismatch, "an if condition must be true or false, got \(ValueFormatter.describeForError(condition))",
          at: conditionExpression.span, help: "compare explicitly, e.g. x != 0 or len(xs) > 0")
      }
      if holds { return try execute(thenBody, in: scope) }
      if let elseBody { return try execute(elseBody, in: scope) }
      return .normal(.none)
    }
  }

  /// Visits the elements of a list, range, string (its characters), record (its field names) or
  /// iterable host value; `body` returns false to stop early. Ranges are never materialised.
  func forEachElement(of sequence: Value, at span: SourceSpan, _ body: (Value) throws -> Bool) throws {
    switch sequence {
    case .list(let elements):
      for element in elements {
        try tick(span)
        if try !body(element) { return }
      }
    case .range(let range):
      var index = 0
      while index < range.count {
        try tick(span)
        if try !body(.number(range.element(index))) { return }
        index += 1
      }
    case .string(let text):
      for character in text {
        try tick(span)
        if try !body(.string(String(character))) { return }
      }
    case .record(let record):
      for key in record.keys {
        try tick(span)
        if try !body(.string(key)) { return }
      }
    case .host(let host):
      guard let elements = try host.elements() else { fallthrough }
      for element in elements {
        try tick(span)
        if try !body(element) { return }
      }
    default:
      throw Diagnostic(
        .typeMismatch, "cannot loop over \(ValueFormatter.describeForError(sequence))", at: span,
        help: "loop over a list, a range(n), a string or a record")
    }
  }

  /// Assigns to a name, or to a field or element below a name. Lists and records are values,
  /// so `cfg.dim = 32` rebuilds `cfg` with the new field.
  func assign(_ value: Value, to target: AssignTarget, in scope: Scope) throws {
    var steps: [PathStep] = []
    var node = target
    while true {
      switch node {
      case .name(let name, let span):
        steps.reverse()
        if steps.isEmpty {
          scope.values[name] = value
          return
        }
        guard let root = scope.lookup(name) ?? builtins[name].map(Value.builtin) else {
          throw unknownName(name, at: span, in: scope)
        }
        let updated = try replacing(in: root, path: steps[...], with: value)
        if updated.nestingDepth(limit: limits.maximumValueNesting) > limits.maximumValueNesting {
          throw nestingError(at: target.span)
        }
        scope.values[name] = updated
        return
      case .field(let base, let field, let span):
        steps.append(.field(field, span))
        node = base
      case .index(let base, let indexExpression, let span):
        steps.append(.index(try evaluate(indexExpression, in: scope), span))
        node = base
      }
    }
  }

  enum PathStep {
    case field(String, SourceSpan)
    case index(Value, SourceSpan)
  }

  private func replacing(in container: Value, path: ArraySlice<PathStep>, with value: Value) throws -> Value {
    guard let step = path.first else { return value }
    let rest = path.dropFirst()
    switch (container, step) {
    case (.record(var record), .field(let name, let span)), (.record(var record), .index(.string(let name), let span)):
      let inner: Value
      if rest.isEmpty {
        inner = value
      } else {
        guard let existing = record[name] else { throw missingField(name, in: record, at: span) }
        inner = try replacing(in: existing, path: rest, with: value)
      }
      record[name] = inner
      return .record(record)
    case (.list(var elements), .index(let indexValue, let span)):
      let index = try listIndex(indexValue, count: elements.count, at: span)
      elements[index] = try replacing(in: elements[index], path: rest, with: value)
      return .list(elements)
    case (_, .field(let name, let span)):
      throw Diagnostic(
        .typeMismatch, "cannot set field '\(name)' on \(ValueFormatter.describeForError(container))", at: span,
        help: "only records have fields that can be set")
    case (_, .index(_, let span)):
      throw Diagnostic(
        .typeMismatch, "cannot set an element of \(ValueFormatter.describeForError(container))", at: span,
        help: "only list elements and record fields can be set")
    }
  }

  func nestingError(at span: SourceSpan) -> Diagnostic {
    Diagnostic(
      .resourceLimit, "lists and records nested more than \(limits.maximumValueNesting) levels deep", at: span,
      help: "flatten the data")
  }

  func unknownName(_ name: String, at span: SourceSpan, in scope: Scope) -> Diagnostic {
    Diagnostic(
      .unknownName, "unknown name '\(name)'", at: span,
      help: FamiliarNames.help(for: name, known: scope.visibleNames + builtins.names)
        ?? Suggestion.help(for: name, among: scope.visibleNames + builtins.names))
  }
}
