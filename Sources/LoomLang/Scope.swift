/// Variables of one function call, of the top level, or of the prelude. Blocks of `if` and `for`
/// do not open scopes (as in Python): a loop variable is still set after the loop.
final class Scope {
  var values: [String: Value] = [:]
  let parent: Scope?

  init(parent: Scope?) {
    self.parent = parent
  }

  func lookup(_ name: String) -> Value? {
    var scope: Scope? = self
    while let current = scope {
      if let value = current.values[name] { return value }
      scope = current.parent
    }
    return nil
  }

  /// Every name visible from here, innermost first.
  var visibleNames: [String] {
    var names: [String] = []
    var scope: Scope? = self
    while let current = scope {
      names.append(contentsOf: current.values.keys)
      scope = current.parent
    }
    return names
  }
}

/// Bounds that keep any program from crashing or hanging the process.
public struct InterpreterLimits: Sendable {
  /// Nested calls before "recursion too deep" (Python's default is 1000).
  public var maximumCallDepth = 1000
  /// How deeply lists and records may nest.
  public var maximumValueNesting = 100
  /// Longest list a program may build.
  public var maximumListLength = 50_000_000
  /// Longest string a program may build, in characters.
  public var maximumStringLength = 100_000_000
  /// Statements and loop iterations before the program is stopped; nil for no limit (the
  /// REPL relies on Ctrl-C instead). Tests and the fuzzer set it.
  public var maximumSteps: Int?

  public init() {}
}
