import Testing

@testable import LoomConsole

struct ConsoleTests {
  func run(_ inputs: [LineInput], stopsAtFirstError: Bool = false) -> (output: String, status: Int32, prompts: [String]) {
    var output = ""
    let session = Session(write: { output += $0 })
    let reader = ScriptedLineReader(inputs)
    let console = Console(session: session, reader: reader)
    console.stopsAtFirstError = stopsAtFirstError
    let status = console.run()
    return (output, status, reader.prompts)
  }

  @Test func multiLineInputUsesTheContinuationPrompt() {
    let result = run([.line("def f(x) {"), .line("  x * 2"), .line("}"), .line("f(21)")])
    #expect(result.output == "42\n")
    #expect(result.prompts == ["loom> ", "  ... ", "  ... ", "loom> ", "loom> "])
    #expect(result.status == 0)
  }

  @Test func ctrlCDiscardsThePendingInput() {
    let result = run([.line("x = [1,"), .interrupt, .line("x = 5"), .line("x")])
    #expect(result.output == "5\n")
  }

  @Test func errorsArePrintedAndTheLoopGoesOn() {
    let result = run([.line("y = 1"), .line("y +"), .line("z"), .line("y")])
    #expect(result.output.contains("error: unknown name 'z'"))
    #expect(result.output.contains("  = help: did you mean 'y'?"))
    #expect(result.output.hasSuffix("1\n"))
    #expect(result.status == 0)
  }

  @Test func asAScriptItStopsAtTheFirstErrorWithItsStatus() {
    let syntax = run([.line("x = 1"), .line("x = )"), .line("print(\"no\")")], stopsAtFirstError: true)
    #expect(syntax.status == 65)
    #expect(!syntax.output.contains("no"))
    let runtime = run([.line("x = [1][3]")], stopsAtFirstError: true)
    #expect(runtime.status == 70)
    let unfinished = run([.line("def f() {")], stopsAtFirstError: true)
    #expect(unfinished.status == 65)
    #expect(unfinished.output.hasPrefix("error: unclosed '{'"))
  }

  @Test func quitEndsTheLoop() {
    let result = run([.line(":quit"), .line("print(1)")])
    #expect(result.output == "")
  }
}
