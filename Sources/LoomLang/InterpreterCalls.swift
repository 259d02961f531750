import Foundation

extension Interpreter {
  /// Calls `callee` with evaluated arguments. Positional arguments carry their spans; keyword
  /// arguments carry the label's span and the whole argument's span.
  func invoke(
    _ callee: Value, positional: [(Value, SourceSpan)], keywords: [(String, SourceSpan, Value, SourceSpan)],
    at span: SourceSpan, calleeSpan: SourceSpan? = nil
  ) throws -> Value {
    switch callee {
    case .function(let function):
      return try callFunction(function, positional: positional, keywords: keywords, at: span)
    case .builtin(let builtin):
      return try callBuiltin(builtin, positional: positional, keywords: keywords, at: span)
    default:
      throw Diagnostic(
        .notCallable, "\(ValueFormatter.describeForError(callee)) is not a function", at: calleeSpan ?? span,
        help: "only functions and builtins can be called")
    }
  }

  private func callFunction(
    _ function: Function, positional: [(Value, SourceSpan)], keywords: [(String, SourceSpan, Value, SourceSpan)],
    at span: SourceSpan
  ) throws -> Value {
    let match = try ArgumentMatcher.match(
      callee: function.name, usage: function.header, parameters: function.parameterSpecs,
      positionalSpans: positional.map(\.1), keywords: keywords.map { ($0.0, $0.1) }, callSpan: span,
      phase: .runtime)
    guard callDepth < limits.maximumCallDepth else {
      throw Diagnostic(
        .recursionLimit, "recursion too deep: more than \(limits.maximumCallDepth) nested calls", at: span,
        help: "check that the recursion reaches a base case")
    }
    callDepth += 1
    functionStack.append(function)
    defer {
      callDepth -= 1
      functionStack.removeLast()
    }
    let local = Scope(parent: function.closure)
    for parameter in function.declaration.parameters {
      switch match.sources[parameter.name] {
      case .positional(let index): local.values[parameter.name] = positional[index].0
      case .keyword(let index): local.values[parameter.name] = keywords[index].2
      case nil:
        if let defaultExpression = parameter.defaultValue {
          local.values[parameter.name] = try evaluate(defaultExpression, in: local)
        }
      }
    }
    callArguments.append(function.declaration.parameters.map { ($0.name, local.values[$0.name] ?? .none) })
    defer { callArguments.removeLast() }
    switch try execute(function.declaration.body, in: local) {
    case .normal(let value), .returned(let value): return value
    }
  }

  private func callBuiltin(
    _ builtin: Builtin, positional: [(Value, SourceSpan)], keywords: [(String, SourceSpan, Value, SourceSpan)],
    at span: SourceSpan
  ) throws -> Value {
    let match = try ArgumentMatcher.match(
      callee: builtin.name, usage: builtin.signature.description, parameters: builtin.signature.parameterSpecs,
      positionalSpans: positional.map(\.1), keywords: keywords.map { ($0.0, $0.1) }, callSpan: span,
      phase: .runtime)
    var named: [String: (value: Value, span: SourceSpan)] = [:]
    for (name, source) in match.sources {
      switch source {
      case .positional(let index): named[name] = (positional[index].0, positional[index].1)
      case .keyword(let index): named[name] = (keywords[index].2, keywords[index].3)
      }
    }
    let arguments = CallArguments(
      callee: builtin.name, signature: builtin.signature, span: span, named: named,
      variadic: match.variadic.map { positional[$0] },
      extraKeywords: match.extra.map { (keywords[$0].0, keywords[$0].2, keywords[$0].3) })
    let context = CallContext(interpreter: self, span: span, callee: builtin.name)
    do {
      return try builtin.implementation(arguments, context)
    } catch var diagnostic as Diagnostic {
      if diagnostic.span.file === SourceSpan.unknown.file { diagnostic.span = span }
      throw diagnostic
    } catch let list as DiagnosticList {
      throw list
    } catch let error as LocalizedError {
      throw Diagnostic(
        .hostError, error.errorDescription ?? "\(error)", at: span, help: error.recoverySuggestion)
    } catch {
      throw Diagnostic(.hostError, "\(error)", at: span)
    }
  }
}
