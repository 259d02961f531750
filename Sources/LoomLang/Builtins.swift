/// An explicit registry of builtins: name, signature, one-line doc and implementation.
///
/// Each interpreter gets its own registry; modules add theirs before creating it:
///
/// ```swift
/// let builtins = Builtins.core()
/// builtins.register("embed(ids, dim)", doc: "learned embedding table") { args, context in ... }
/// let interpreter = Interpreter(builtins: builtins)
/// ```
public final class Builtins {
  private var table: [String: Builtin] = [:]
  /// Registration order, which `:help` keeps.
  public private(set) var names: [String] = []

  /// An empty registry; `Builtins.core()` has print, str, len, range and the rest.
  public init() {}

  /// Registers a builtin, or replaces one of the same name. `signature` is parsed for the name,
  /// parameters and literal defaults (see ``Signature``); a malformed signature is a bug in the
  /// registering code and stops the program at once with the offending text.
  public func register(_ signature: String, doc: String, _ implementation: @escaping Builtin.Implementation) {
    guard let parsed = Signature(signature) else {
      preconditionFailure("malformed builtin signature: \(signature)")
    }
    if table[parsed.name] == nil { names.append(parsed.name) }
    table[parsed.name] = Builtin(name: parsed.name, signature: parsed, doc: doc, implementation: implementation)
  }

  public subscript(name: String) -> Builtin? { table[name] }

  public var all: [Builtin] { names.compactMap { table[$0] } }
}
