/// What a builtin can do besides reading its arguments: write output, notice Ctrl-C, call Loom
/// functions (e.g. `compare([MIN, SASRec], ...)` calls each model function), look names up
/// (`model("MIN", ...)`), and keep module state on the interpreter.
public struct CallContext {
  let interpreter: Interpreter
  /// The call expression, for errors that concern the whole call.
  public let span: SourceSpan
  public let callee: String

  /// Writes text to the program's output (the terminal, a test buffer or a notebook cell).
  public func write(_ text: String) { interpreter.output(text) }

  /// Whether the user pressed Ctrl-C; long builtins (training) poll this and stop cleanly.
  public var isCancelled: Bool { interpreter.isCancelled() }

  /// Throws an `interrupted` diagnostic if the user pressed Ctrl-C.
  public func checkCancellation() throws {
    if interpreter.isCancelled() {
      throw Diagnostic(.interrupted, "interrupted", at: span)
    }
  }

  /// Calls a function, builtin or other callable value with arguments.
  public func call(_ callee: Value, _ positional: [Value], keywords: KeyValuePairs<String, Value> = [:]) throws -> Value {
    try interpreter.call(callee, positional: positional, keywords: Array(keywords).map { ($0.key, $0.value) }, at: span)
  }

  /// Calls with keywords collected at run time (e.g. passed through `**options`).
  public func call(_ callee: Value, _ positional: [Value], keywordList: [(String, Value)]) throws -> Value {
    try interpreter.call(callee, positional: positional, keywords: keywordList, at: span)
  }

  /// The value a name has where the call happened: a variable, a prelude model or a builtin.
  public func lookup(_ name: String) -> Value? { interpreter.lookupGlobal(name) }

  /// The `def` functions being executed, outermost first: the last is the one making this call.
  /// Lets a layer builtin know which model function it is building.
  public var functionStack: [Function] { interpreter.functionStack }

  /// Every running function call, outermost first, with the values its parameters were bound
  /// to (defaults included): what `recommender` records so a checkpoint can rebuild the model.
  public var calls: [(function: Function, arguments: [(name: String, value: Value)])] {
    Array(zip(interpreter.functionStack, interpreter.callArguments)).map { ($0, $1) }
  }

  /// State other modules keep per interpreter (for example the graph under construction).
  public var hostState: HostState { interpreter.hostState }
}
