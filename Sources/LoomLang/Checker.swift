/// Checks a parsed program before it runs, so that a typo on line 40 is reported before the
/// training on line 12 starts: names that are never defined anywhere, and calls to known
/// functions and builtins with unknown keywords, missing or surplus arguments.
///
/// The check is conservative: a name counts as defined if it is assigned anywhere in its
/// function (or at the top level), as Python decides scopes, so it never rejects a program that
/// could run. Problems it cannot see (a name used before its assignment) are found at run time.
struct Checker {
  let interpreter: Interpreter
  /// In the REPL, a function may refer to a global that a later input defines.
  var allowsForwardReferences = false
  private var diagnostics: [Diagnostic] = []
  private var reportedNames: Set<String> = []

  init(interpreter: Interpreter, allowsForwardReferences: Bool = false) {
    self.interpreter = interpreter
    self.allowsForwardReferences = allowsForwardReferences
  }

  /// What a scope binds: every name, and the functions bound by `def` and nothing else.
  final class CheckScope {
    var names: Set<String> = []
    var functions: [String: FunctionDeclaration] = [:]
    let parent: CheckScope?
    let isFunction: Bool
    init(parent: CheckScope?, isFunction: Bool) {
      self.parent = parent
      self.isFunction = isFunction
    }
  }

  mutating func check(_ program: Program) -> [Diagnostic] {
    let top = CheckScope(parent: nil, isFunction: false)
    top.names.formUnion(interpreter.overrides.keys)
    collectBindings(program.statements, into: top)
    checkStatements(program.statements, in: top)
    return diagnostics
  }

  private func collectBindings(_ statements: [Stmt], into scope: CheckScope) {
    var reassigned: Set<String> = []
    func visit(_ statements: [Stmt]) {
      for statement in statements {
        switch statement {
        case .assign(.name(let name, _), _, _):
          scope.names.insert(name)
          reassigned.insert(name)
        case .def(let declaration):
          if scope.functions[declaration.name] != nil { reassigned.insert(declaration.name) }
          scope.names.insert(declaration.name)
          scope.functions[declaration.name] = declaration
        case .for(let name, _, _, let body, _):
          scope.names.insert(name)
          reassigned.insert(name)
          visit(body)
        case .if(_, let thenBody, let elseBody, _):
          visit(thenBody)
          visit(elseBody ?? [])
        default:
          break
        }
      }
    }
    visit(statements)
    for name in reassigned { scope.functions[name] = nil }
  }

  private mutating func checkStatements(_ statements: [Stmt], in scope: CheckScope) {
    for statement in statements {
      switch statement {
      case .expression(let expression):
        checkExpression(expression, in: scope)
      case .assign(let target, let value, _):
        checkExpression(value, in: scope)
        checkTarget(target, in: scope)
      case .def(let declaration):
        let local = CheckScope(parent: scope, isFunction: true)
        local.names.formUnion(declaration.parameters.map(\.name))
        collectBindings(declaration.body, into: local)
        for parameter in declaration.parameters {
          if let defaultValue = parameter.defaultValue { checkExpression(defaultValue, in: local) }
        }
        checkStatements(declaration.body, in: local)
      case .return(let value, _):
        if let value { checkExpression(value, in: scope) }
      case .for(_, _, let sequence, let body, _):
        checkExpression(sequence, in: scope)
        checkStatements(body, in: scope)
      case .if(let condition, let thenBody, let elseBody, _):
        checkExpression(condition, in: scope)
        checkStatements(thenBody, in: scope)
        checkStatements(elseBody ?? [], in: scope)
      }
    }
  }

  private mutating func checkTarget(_ target: AssignTarget, in scope: CheckScope) {
    switch target {
    case .name: break
    case .field(let base, _, _): checkTarget(base, in: scope)
    case .index(let base, let index, _):
      checkTarget(base, in: scope)
      checkExpression(index, in: scope)
    }
    if case .name = target { return }
    checkName(target.rootName, at: target.span, in: scope)
  }

  private mutating func checkExpression(_ expression: Expr, in scope: CheckScope) {
    switch expression {
    case .number, .string, .bool, .none: break
    case .name(let name, let span): checkName(name, at: span, in: scope)
    case .list(let elements, _): elements.forEach { checkExpression($0, in: scope) }
    case .record(let entries, _): entries.forEach { checkExpression($0.value, in: scope) }
    case .unary(_, let operand, _): checkExpression(operand, in: scope)
    case .binary(_, let left, let right, _), .logical(_, let left, let right, _), .index(let left, let right, _):
      checkExpression(left, in: scope)
      checkExpression(right, in: scope)
    case .field(let base, _, _): checkExpression(base, in: scope)
    case .call(let callee, let arguments, let span):
      checkExpression(callee, in: scope)
      arguments.forEach { checkExpression($0.value, in: scope) }
      if case .name(let name, _) = callee { checkCall(to: name, arguments: arguments, at: span, in: scope) }
    }
  }

  private func isDefined(_ name: String, in scope: CheckScope) -> Bool {
    var current: CheckScope? = scope
    while let checked = current {
      if checked.names.contains(name) { return true }
      current = checked.parent
    }
    return interpreter.lookupGlobal(name) != nil
  }

  private mutating func checkName(_ name: String, at span: SourceSpan, in scope: CheckScope) {
    guard !isDefined(name, in: scope), !reportedNames.contains(name) else { return }
    if allowsForwardReferences && scope.isFunction { return }
    reportedNames.insert(name)
    var candidates = interpreter.knownNames
    var current: CheckScope? = scope
    while let checked = current {
      candidates.append(contentsOf: checked.names)
      current = checked.parent
    }
    diagnostics.append(
      Diagnostic(
        .unknownName, "unknown name '\(name)'", at: span,
        help: FamiliarNames.help(for: name, known: candidates) ?? Suggestion.help(for: name, among: candidates),
        phase: .check))
  }

  /// Checks the arguments of a call whose callee is known for certain: a `def` not rebound in
  /// its scope, or a global function or builtin that this program does not rebind.
  private mutating func checkCall(to name: String, arguments: [ArgumentNode], at span: SourceSpan, in scope: CheckScope) {
    var current: CheckScope? = scope
    var parameters: [ParameterSpec]?
    var usage = ""
    while let checked = current {
      if checked.names.contains(name) {
        guard let declaration = checked.functions[name] else { return }
        parameters = declaration.parameters.map {
          ParameterSpec(name: $0.name, isRequired: $0.defaultValue == nil, isVariadic: false)
        }
        usage = Function(declaration: declaration, closure: Scope(parent: nil)).header
        break
      }
      current = checked.parent
    }
    if parameters == nil {
      switch interpreter.lookupGlobal(name) {
      case .function(let function)?:
        parameters = function.parameterSpecs
        usage = function.header
      case .builtin(let builtin)?:
        parameters = builtin.signature.parameterSpecs
        usage = builtin.signature.description
      default:
        return
      }
    }
    let positional = arguments.filter { $0.label == nil }.map(\.value.span)
    let keywords = arguments.compactMap { argument in
      argument.label.map { ($0, argument.labelSpan ?? argument.span) }
    }
    do {
      _ = try ArgumentMatcher.match(
        callee: name, usage: usage, parameters: parameters ?? [], positionalSpans: positional, keywords: keywords,
        callSpan: span, phase: .check)
    } catch let diagnostic as Diagnostic {
      diagnostics.append(diagnostic)
    } catch {}
  }
}
