/// The arguments of one builtin call, already matched to the builtin's signature, with typed
/// accessors whose errors name the builtin, the parameter, what was expected and what was given.
///
/// ```swift
/// let epochs = try args.integer("epochs")        // the signature's default if not given
/// let model = try args.host("model", as: Model.self)
/// ```
public struct CallArguments {
  public let callee: String
  public let signature: Signature
  /// The whole call expression.
  public let span: SourceSpan
  let named: [String: (value: Value, span: SourceSpan)]
  /// The arguments collected by a variadic parameter, in order.
  public let variadic: [Value]
  public let variadicSpans: [SourceSpan]
  /// Keywords taken by the signature's `**options` parameter, in call order.
  public let extraKeywords: [(name: String, value: Value, span: SourceSpan)]

  init(
    callee: String, signature: Signature, span: SourceSpan, named: [String: (value: Value, span: SourceSpan)],
    variadic: [(Value, SourceSpan)], extraKeywords: [(name: String, value: Value, span: SourceSpan)] = []
  ) {
    self.extraKeywords = extraKeywords
    self.callee = callee
    self.signature = signature
    self.span = span
    self.named = named
    self.variadic = variadic.map(\.0)
    self.variadicSpans = variadic.map(\.1)
  }

  /// Whether the caller passed `name` (rather than relying on its default).
  public func isGiven(_ name: String) -> Bool { named[name] != nil }

  /// The argument, or the signature's literal default, or nil.
  public func optional(_ name: String) -> Value? {
    named[name]?.value ?? signature.parameter(named: name)?.defaultValue
  }

  /// The argument or its literal default; a missing-argument error otherwise.
  public func value(_ name: String) throws -> Value {
    guard let value = optional(name) else {
      throw Diagnostic(.missingArgument, "\(callee)() missing argument '\(name)'", at: span, help: "usage: \(signature)")
    }
    return value
  }

  /// Where argument `name` (a parameter or an `**options` keyword) was written; the call itself
  /// when it was not given.
  public func span(of name: String) -> SourceSpan {
    named[name]?.span ?? extraKeywords.first { $0.name == name }?.span ?? span
  }

  public func number(_ name: String) throws -> Double {
    let given = try value(name)
    guard case .number(let number) = given else { throw typeError(name, expected: "a number", got: given) }
    return number
  }

  /// A whole number, e.g. an epoch count or a dimension.
  public func integer(_ name: String) throws -> Int {
    let number = try number(name)
    guard number.rounded() == number, abs(number) < 9e15 else {
      throw error("\(callee)() expects a whole number for '\(name)', got \(ValueFormatter.repr(.number(number)))", argument: name)
    }
    return Int(number)
  }

  public func string(_ name: String) throws -> String {
    let given = try value(name)
    guard case .string(let text) = given else { throw typeError(name, expected: "a string", got: given) }
    return text
  }

  public func bool(_ name: String) throws -> Bool {
    let given = try value(name)
    guard case .bool(let flag) = given else { throw typeError(name, expected: "a bool", got: given) }
    return flag
  }

  public func list(_ name: String) throws -> [Value] {
    let given = try value(name)
    guard case .list(let elements) = given else { throw typeError(name, expected: "a list", got: given) }
    return elements
  }

  public func record(_ name: String) throws -> Record {
    let given = try value(name)
    guard case .record(let record) = given else { throw typeError(name, expected: "a record", got: given) }
    return record
  }

  /// A host value of type `T`, e.g. `try args.host("data", as: Dataset.self)`.
  public func host<T: HostValue>(_ name: String, as type: T.Type, described: String? = nil) throws -> T {
    let given = try value(name)
    guard case .host(let host) = given, let typed = host as? T else {
      let expected = described ?? "a value of type \(String(describing: T.self))"
      throw typeError(name, expected: expected, got: given)
    }
    return typed
  }

  /// `round() expects a number for 'x', got string "a"`, pointing at the argument.
  public func typeError(_ name: String, expected: String, got value: Value) -> Diagnostic {
    Diagnostic(
      .typeMismatch, "\(callee)() expects \(expected) for '\(name)', got \(ValueFormatter.describeForError(value))",
      at: span(of: name), help: "usage: \(signature)")
  }

  /// An error about the call, or about one argument when `argument` is given.
  public func error(
    _ message: String, argument: String? = nil, kind: DiagnosticKind = .invalidValue, help: String? = nil
  ) -> Diagnostic {
    Diagnostic(kind, message, at: argument.map(span(of:)) ?? span, help: help)
  }
}
