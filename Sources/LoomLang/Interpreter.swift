/// Runs Loom programs: parse, check, then execute statement by statement.
///
/// Scopes: builtins < prelude < top level (globals) < function calls. Errors are thrown as
/// ``Diagnostic`` values and never leave the interpreter in a broken state: the globals keep
/// whatever was assigned before the error, so the REPL continues with its state intact.
public final class Interpreter {
  public let builtins: Builtins
  /// Receives everything the program prints.
  public var output: (String) -> Void
  /// Receives what the program prints to the error stream (`print(..., to: "stderr")`); nil:
  /// the same as `output`.
  public var errorOutput: ((String) -> Void)?
  /// Polled between statements and loop iterations; true stops the program with `interrupted`.
  public var isCancelled: () -> Bool
  public var limits: InterpreterLimits
  /// Values from `loom run --set name=value`: a top-level assignment to `name` keeps this value.
  public var overrides: [String: Value] = [:]
  public let hostState = HostState()
  /// Syntax errors of the prelude; empty unless the shipped prelude is broken.
  public private(set) var preludeDiagnostics: [Diagnostic] = []

  let preludeScope: Scope
  private(set) var globals: Scope
  var callDepth = 0
  var steps = 0
  var functionStack: [Function] = []
  /// The bound parameters of each function call on `functionStack` (pushed once bound).
  var callArguments: [[(name: String, value: Value)]] = []
  private var isRunning = false

  public init(
    builtins: Builtins = .core(), output: @escaping (String) -> Void = { Swift.print($0, terminator: "") },
    isCancelled: @escaping () -> Bool = { false }, limits: InterpreterLimits = InterpreterLimits(),
    loadPrelude: Bool = true
  ) {
    self.builtins = builtins
    self.output = output
    self.isCancelled = isCancelled
    self.limits = limits
    preludeScope = Scope(parent: nil)
    globals = Scope(parent: preludeScope)
    if loadPrelude { self.loadPrelude() }
  }

  private func loadPrelude() {
    let file = SourceFile(name: "prelude.loom", text: Prelude.source)
    let parsed = Parser.parse(file)
    preludeDiagnostics = parsed.diagnostics
    guard parsed.diagnostics.isEmpty else { return }
    do {
      _ = try execute(parsed.program.statements, in: preludeScope)
    } catch let diagnostic as Diagnostic {
      preludeDiagnostics = [diagnostic]
    } catch {}
  }

  /// Names defined by the prelude (the shipped models).
  public var preludeNames: [String] { preludeScope.values.keys.sorted() }

  /// Names the program has defined at the top level, sorted.
  public var globalNames: [String] { globals.values.keys.sorted() }

  public func global(_ name: String) -> Value? { globals.values[name] }

  public func setGlobal(_ name: String, _ value: Value) { globals.values[name] = value }

  /// A variable, prelude definition or builtin by name.
  public func lookupGlobal(_ name: String) -> Value? {
    globals.lookup(name) ?? builtins[name].map(Value.builtin)
  }

  /// Forgets every top-level variable; the prelude and builtins stay.
  public func reset() {
    globals = Scope(parent: preludeScope)
    hostState.removeAll()
  }

  /// Every name a program can refer to: globals, prelude, builtins.
  public var knownNames: [String] { globals.visibleNames + builtins.names }

  /// Parses, checks and runs `file` at the top level. Returns the value of the last statement
  /// when it is an expression (the REPL shows it), or nil.
  ///
  /// Throws ``DiagnosticList``: the syntax or check errors, or the single runtime error that
  /// stopped the program. Use ``parse(_:)`` first to tell incomplete input apart.
  @discardableResult
  public func run(_ file: SourceFile, interactive: Bool = false) throws(DiagnosticList) -> Value? {
    let parsed = Parser.parse(file)
    guard parsed.diagnostics.isEmpty else { throw DiagnosticList(parsed.diagnostics) }
    return try run(parsed.program, interactive: interactive)
  }

  /// Checks and runs an already parsed program. `interactive` lets functions refer to globals
  /// that a later REPL input will define.
  @discardableResult
  public func run(_ program: Program, interactive: Bool = false) throws(DiagnosticList) -> Value? {
    var checker = Checker(interpreter: self, allowsForwardReferences: interactive)
    let problems = checker.check(program)
    guard problems.isEmpty else { throw DiagnosticList(problems) }
    do {
      return try onDeepStack {
        steps = 0
        let flow = try execute(program.statements, in: globals)
        guard let last = program.statements.last, case .expression = last else { return nil }
        if case .normal(let value) = flow, !value.isNone { return value }
        return nil
      }
    } catch let diagnostic as Diagnostic {
      throw DiagnosticList([diagnostic])
    } catch let list as DiagnosticList {
      throw list
    } catch {
      throw DiagnosticList([Diagnostic(.hostError, "\(error)", at: program.statements.first?.span ?? .unknown)])
    }
  }

  /// Calls a Loom function or builtin from Swift (for builtins such as `compare` and for hosts).
  public func call(
    _ callee: Value, positional: [Value], keywords: [(String, Value)] = [], at span: SourceSpan = .unknown
  ) throws -> Value {
    try onDeepStack {
      try invoke(
        callee, positional: positional.map { ($0, span) }, keywords: keywords.map { ($0.0, span, $0.1, span) },
        at: span)
    }
  }

  /// Runs top-level work on a large stack; nested entries (a builtin calling back) run in place.
  private func onDeepStack<T>(_ body: () throws -> T) throws -> T {
    if isRunning { return try body() }
    isRunning = true
    defer { isRunning = false }
    return try DeepStack.run(body)
  }

  /// Counts one step, and stops the program on Ctrl-C or when the step budget is spent.
  func tick(_ span: SourceSpan) throws {
    steps += 1
    if isCancelled() {
      throw Diagnostic(.interrupted, "interrupted", at: span, help: "the program was stopped with Ctrl-C")
    }
    if let maximum = limits.maximumSteps, steps > maximum {
      throw Diagnostic(.resourceLimit, "the program ran more than \(maximum) steps", at: span)
    }
  }
}

extension Value {
  public var isNone: Bool {
    if case .none = self { return true }
    return false
  }
}
