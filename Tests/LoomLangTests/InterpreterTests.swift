import Testing

@testable import LoomLang

struct InterpreterTests {
  @Test func precedenceAndArithmetic() {
    #expect(runLoom("print(1 + 2 * 3 - 4 / 2, -2 * 3, (1 + 2) * 3, 10 % 4, not true or true)").output == "5 -6 9 2 true\n")
  }

  @Test func fixedPrintsExactlyTheDigitsAsked() {
    #expect(
      runLoom("print(fixed(0.389), fixed(0.20834, digits: 2), fixed(3, digits: 0), round(0.389, digits: 4))").output
        == "0.3890 0.21 3 0.389\n")
  }

  @Test func printToStderrUsesTheErrorStream() throws {
    var out = ""
    var err = ""
    let interpreter = Interpreter(output: { out += $0 })
    interpreter.errorOutput = { err += $0 }
    try interpreter.run(SourceFile(name: "t", text: "print(1)\nprint(\"careful\", 2, to: \"stderr\")"))
    #expect(out == "1\n" && err == "careful 2\n")
    #expect(runLoom("print(1, to: \"stderr\")").output == "1\n")  // without an error stream: the output
    #expect(runLoom("print(1, to: \"err\")").diagnostics.first?.message == "print() expects to: \"stdout\" or \"stderr\"")
  }

  @Test func lastExpressionIsTheResultOfARun() throws {
    let interpreter = Interpreter(output: { _ in })
    let value = try interpreter.run(SourceFile(name: "t", text: "x = 20\nx + 22"))
    guard case .number(let number)? = value else {
      Issue.record("expected a number")
      return
    }
    #expect(number == 42)
    #expect(try interpreter.run(SourceFile(name: "t", text: "y = 1")) == nil)
  }

  @Test func loopVariableOutlivesTheLoopAsInPython() {
    #expect(runLoom("for d in [10, 100] { }\nprint(d)").output == "100\n")
  }

  @Test func assignmentInsideAFunctionIsLocal() {
    #expect(runLoom("x = 1\ndef f() { x = 2\n x }\nprint(f(), x)").output == "2 1\n")
  }

  @Test func andOrShortCircuit() {
    // The right side would fail (unknown field) if it were evaluated.
    #expect(runLoom("r = {a: 1}\nprint(false and r.b == 1, true or r.b == 1)").output == "false true\n")
  }

  @Test func stateBeforeARuntimeErrorIsKept() throws {
    let interpreter = Interpreter(output: { _ in })
    #expect(throws: DiagnosticList.self) { try interpreter.run(SourceFile(name: "t", text: "a = 5\nb = a / 0\nc = 1")) }
    guard case .number(5)? = interpreter.global("a") else {
      Issue.record("a should still be 5")
      return
    }
    #expect(interpreter.global("b") == nil && interpreter.global("c") == nil)
  }

  @Test func deepRecursionIsAnErrorNotACrash() {
    let result = runLoom("def f(n) { f(n + 1) }\nf(0)")
    #expect(result.diagnostics.map(\.kind) == [.recursionLimit])
    #expect(runLoom("def f(n) { if n == 0 { 0 } else { 1 + f(n - 1) } }\nprint(f(990))").output == "990\n")
  }

  @Test func cancellationStopsAnEnormousLoop() {
    var polls = 0
    let result = runLoom(
      "for i in range(1e15) { x = i }",
      isCancelled: {
        polls += 1
        return polls > 1000
      })
    #expect(result.diagnostics.map(\.kind) == [.interrupted])
    #expect(result.diagnostics.first?.location.line == 1)
  }

  @Test func stepBudgetStopsLongPrograms() {
    var limits = InterpreterLimits()
    limits.maximumSteps = 500
    let result = runLoom("total = 0\nfor i in range(1000) { total = total + i }", limits: limits)
    #expect(result.diagnostics.map(\.kind) == [.resourceLimit])
  }

  @Test func deeplyNestedValuesAreRefused() {
    let result = runLoom("x = []\nfor i in range(1000) { x = [x] }")
    #expect(result.diagnostics.map(\.kind) == [.resourceLimit])
    #expect(result.diagnostics.first?.location == SourceLocation(line: 2, column: 28))
  }

  @Test func hugeListsAreRefused() {
    #expect(runLoom("x = [0]\nfor i in range(100) { x = x + x }").diagnostics.map(\.kind) == [.resourceLimit])
  }

  @Test func overridesReplaceTopLevelAssignments() throws {
    var output = ""
    let interpreter = Interpreter(output: { output += $0 })
    interpreter.overrides = ["dim": .number(32)]
    try interpreter.run(SourceFile(name: "t", text: "dim = 64\ndef f() { dim = 1\n dim }\nprint(dim, f())"))
    #expect(output == "32 1\n")
  }

  @Test func checkerFindsAllUnknownNamesBeforeRunning() {
    let result = runLoom("print(\"ran\")\nx = lenn([1])\ny = foo")
    #expect(result.output == "")
    #expect(result.diagnostics.map(\.kind) == [.unknownName, .unknownName])
    #expect(result.diagnostics.map(\.phase) == [.check, .check])
    #expect(result.diagnostics.first?.help == "did you mean 'len'?")
  }

  @Test func checkerAllowsForwardReferencesInsideAScript() {
    #expect(runLoom("def a() { b() }\ndef b() { 7 }\nprint(a())").output == "7\n")
  }

  @Test func unknownNameAtRunTimeWhenUsedBeforeAssignment() {
    let result = runLoom("def f() { later }\nf()\nlater = 1")
    #expect(result.diagnostics.map(\.kind) == [.unknownName])
    #expect(result.diagnostics.map(\.phase) == [.runtime])
  }
}
