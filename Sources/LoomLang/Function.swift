/// A function defined with `def`, together with the scope it was defined in (its closure).
public final class Function {
  public let declaration: FunctionDeclaration
  let closure: Scope

  init(declaration: FunctionDeclaration, closure: Scope) {
    self.declaration = declaration
    self.closure = closure
  }

  public var name: String { declaration.name }

  /// The function's Loom source from `def` to its closing brace.
  public var sourceText: String { declaration.span.text }

  /// `def scaled(v, by: 2)`: the header, used in help lines.
  public var header: String {
    let parameters = declaration.parameters.map { parameter in
      parameter.defaultValue.map { "\(parameter.name): \($0.span.text)" } ?? parameter.name
    }
    return "\(name)(\(parameters.joined(separator: ", ")))"
  }

  var parameterSpecs: [ParameterSpec] {
    declaration.parameters.map { ParameterSpec(name: $0.name, isRequired: $0.defaultValue == nil, isVariadic: false) }
  }
}

/// A function implemented in Swift, registered in a ``Builtins`` registry.
public struct Builtin {
  public typealias Implementation = (CallArguments, CallContext) throws -> Value

  public let name: String
  /// `range(start, stop: none, step: 1)`: parameter names, defaults, `name...` for a variadic tail.
  public let signature: Signature
  /// One line shown by `:help NAME`.
  public let doc: String
  public let implementation: Implementation
}

/// One parameter as the argument binder sees it, for both `def` functions and builtins.
struct ParameterSpec {
  let name: String
  let isRequired: Bool
  /// Collects the remaining positional arguments (`concat(inputs...)`).
  let isVariadic: Bool
  /// Collects keywords no other parameter names (`model(name, data, **options)`).
  var collectsKeywords = false
}
