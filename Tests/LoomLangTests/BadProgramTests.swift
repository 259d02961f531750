import Testing

@testable import LoomLang

/// A corpus of wrong programs: each must stop with exactly one diagnostic of the stated kind, at
/// the stated line and column, underlined by the stated caret.
struct BadProgramTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let source: String
    let kind: DiagnosticKind
    let line: Int
    let column: Int
    let caret: String
    var testDescription: String { source.replacingOccurrences(of: "\n", with: "⏎") }
  }

  static let cases: [Case] = [
    // Lexing
    Case(source: "x = 3 $ 4", kind: .unexpectedCharacter, line: 1, column: 7, caret: "      ^"),
    Case(source: "s = \"abc", kind: .unterminatedString, line: 1, column: 5, caret: "    ^^^^"),
    Case(source: "s = \"a\\qb\"", kind: .invalidEscape, line: 1, column: 7, caret: "      ^^"),
    Case(source: "n = 12abc", kind: .invalidNumber, line: 1, column: 5, caret: "    ^^^^^"),
    Case(source: "n = 1e+", kind: .invalidNumber, line: 1, column: 5, caret: "    ^^^"),
    Case(source: "name = 'ml'", kind: .unexpectedCharacter, line: 1, column: 8, caret: "       ^^^^"),
    Case(source: "if !done { }", kind: .unexpectedCharacter, line: 1, column: 4, caret: "   ^"),
    // Parsing
    Case(source: "x = 1 +\ny = 2", kind: .expectedExpression, line: 1, column: 8, caret: "       ^"),
    Case(source: "x = (1 + 2\ny = 3", kind: .unexpectedToken, line: 2, column: 1, caret: "^"),
    Case(source: "print(1) print(2)", kind: .unexpectedToken, line: 1, column: 10, caret: "         ^^^^^"),
    Case(source: "1 = x", kind: .invalidAssignmentTarget, line: 1, column: 1, caret: "^"),
    Case(source: "f(x) = 3", kind: .invalidAssignmentTarget, line: 1, column: 1, caret: "^^^^"),
    Case(source: "def f(a, a) { a }", kind: .duplicateName, line: 1, column: 10, caret: "         ^"),
    Case(source: "def f(a: 1, b) { a }", kind: .invalidParameters, line: 1, column: 13, caret: "            ^"),
    Case(source: "print(end: \"\", 1)", kind: .positionalAfterKeyword, line: 1, column: 16, caret: "               ^"),
    Case(source: "print(sep: \",\", sep: \";\")", kind: .duplicateName, line: 1, column: 17, caret: "                ^^^"),
    Case(source: "r = {dim: 1, dim: 2}", kind: .duplicateName, line: 1, column: 14, caret: "             ^^^"),
    Case(source: "return 3", kind: .returnOutsideFunction, line: 1, column: 1, caret: "^^^^^^"),
    Case(source: "if x = 1 { }", kind: .unexpectedToken, line: 1, column: 6, caret: "     ^"),
    Case(source: "def f(x): x", kind: .unexpectedToken, line: 1, column: 9, caret: "        ^"),
    Case(source: "for in [1] { }", kind: .unexpectedToken, line: 1, column: 5, caret: "    ^^"),
    Case(source: "x = 1 < 2 < 3", kind: .unexpectedToken, line: 1, column: 11, caret: "          ^"),
    Case(source: "}", kind: .unexpectedToken, line: 1, column: 1, caret: "^"),
    Case(source: "else { }", kind: .unexpectedToken, line: 1, column: 1, caret: "^^^^"),
    Case(source: "x = [1, 2", kind: .incompleteInput, line: 1, column: 5, caret: "    ^"),
    Case(source: "def f(x) {\n  x", kind: .incompleteInput, line: 1, column: 10, caret: "         ^"),
    Case(
      source: "x = " + String(repeating: "(", count: 300) + "1", kind: .nestingTooDeep, line: 1, column: 205,
      caret: String(repeating: " ", count: 204) + "^"),
    Case(source: "x = {1: 2}", kind: .unexpectedToken, line: 1, column: 6, caret: "     ^"),
    Case(source: "x.def = 1", kind: .unexpectedToken, line: 1, column: 3, caret: "  ^^^"),
    // Checks before running
    Case(source: "dim = 64\nprint(dimm)", kind: .unknownName, line: 2, column: 7, caret: "      ^^^^"),
    Case(source: "print(range(3, stepp: 2))", kind: .unknownKeyword, line: 1, column: 16, caret: "               ^^^^^"),
    Case(source: "x = len()", kind: .missingArgument, line: 1, column: 5, caret: "    ^^^^^"),
    Case(source: "x = abs(1, 2)", kind: .tooManyArguments, line: 1, column: 12, caret: "           ^"),
    Case(source: "def f(v) { v }\nf(1, v: 2)", kind: .duplicateName, line: 2, column: 6, caret: "     ^"),
    Case(source: "def f() { undefined_thing }", kind: .unknownName, line: 1, column: 11, caret: "          ^^^^^^^^^^^^^^^"),
    // Running
    Case(source: "x = 1 / 0", kind: .divisionByZero, line: 1, column: 5, caret: "    ^^^^^"),
    Case(source: "x = \"dim=\" + 64", kind: .typeMismatch, line: 1, column: 5, caret: "    ^^^^^^^^^^^"),
    Case(source: "xs = [1, 2]\ny = xs[2]", kind: .indexOutOfRange, line: 2, column: 8, caret: "       ^"),
    Case(source: "xs = [1, 2]\ny = xs[0.5]", kind: .typeMismatch, line: 2, column: 8, caret: "       ^^^"),
    Case(source: "cfg = {dim: 1}\ny = cfg.dimm", kind: .unknownField, line: 2, column: 5, caret: "    ^^^^^^^^"),
    Case(source: "cfg = {dim: 1}\ny = cfg[\"lr\"]", kind: .unknownField, line: 2, column: 9, caret: "        ^^^^"),
    Case(source: "x = 3\ny = x(1)", kind: .notCallable, line: 2, column: 5, caret: "    ^"),
    Case(source: "x = 3\ny = x.dim", kind: .typeMismatch, line: 2, column: 5, caret: "    ^^^^^"),
    Case(source: "for c in 42 { }", kind: .typeMismatch, line: 1, column: 10, caret: "         ^^"),
    Case(source: "if \"yes\" { }", kind: .typeMismatch, line: 1, column: 4, caret: "   ^^^^^"),
    Case(source: "x = -\"a\"", kind: .typeMismatch, line: 1, column: 5, caret: "    ^^^^"),
    Case(source: "x = [1] < [2]", kind: .typeMismatch, line: 1, column: 5, caret: "    ^^^^^^^^^"),
    Case(source: "x = round(\"a\")", kind: .typeMismatch, line: 1, column: 11, caret: "          ^^^"),
    Case(source: "x = sqrt(-1)", kind: .invalidValue, line: 1, column: 10, caret: "         ^^"),
    Case(source: "x = range(1, 5, step: 0)", kind: .invalidValue, line: 1, column: 17, caret: "                ^^^^^^^"),
    Case(source: "x = min()", kind: .missingArgument, line: 1, column: 5, caret: "    ^^^^^"),
    Case(source: "def f(n) { f(n) }\nf(1)", kind: .recursionLimit, line: 1, column: 12, caret: "           ^^^^"),
    Case(source: "def f(a) { a }\ng = f\ng(1, 2)", kind: .tooManyArguments, line: 3, column: 6, caret: "     ^"),
    Case(source: "x = [1]\nx.a = 2", kind: .typeMismatch, line: 2, column: 1, caret: "^^^"),
    Case(source: "x = [0] * 1e12", kind: .resourceLimit, line: 1, column: 5, caret: "    ^^^^^^^^^^"),
    Case(source: "x = sum([1, \"a\"])", kind: .typeMismatch, line: 1, column: 9, caret: "        ^^^^^^^^"),
  ]

  @Test(arguments: cases)
  func badProgram(_ example: Case) {
    let result = runLoom(example.source)
    #expect(result.diagnostics.count == 1, "\(DiagnosticRenderer.render(result.diagnostics))")
    guard let diagnostic = result.diagnostics.first else { return }
    #expect(diagnostic.kind == example.kind, "\(diagnostic)")
    #expect(diagnostic.location == SourceLocation(line: example.line, column: example.column), "\(diagnostic)")
    #expect(caretLine(diagnostic) == example.caret, "\(diagnostic)")
    #expect(!diagnostic.message.isEmpty)
  }

  @Test func theCorpusIsLargeAndVaried() {
    #expect(Self.cases.count >= 30)
    #expect(Set(Self.cases.map { "\($0.kind)" }).count >= 25)
  }
}
