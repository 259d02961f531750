import Testing

@testable import LoomLang

struct LexerTests {
  func kinds(_ text: String) -> [TokenKind] {
    Lexer.tokenize(SourceFile(name: "t", text: text)).tokens.map(\.kind)
  }

  @Test func numbersInTheThreeWrittenForms() {
    #expect(kinds("64 0.1 1e-3 2.5E+2") == [.number(64), .number(0.1), .number(0.001), .number(250), .endOfInput])
  }

  @Test func stringEscapes() {
    #expect(kinds(#""a\"b\nc\\d\te""#) == [.string("a\"b\nc\\d\te"), .endOfInput])
  }

  @Test func commentsAndBlankLinesCollapse() {
    #expect(
      kinds("x = 1 # one\n\n\n# only a comment\ny") == [
        .identifier("x"), .symbol(.assign), .number(1), .newline, .identifier("y"), .endOfInput,
      ])
  }

  @Test func lineBreaksInsideParenthesesAndBracketsAreIgnored() {
    #expect(
      kinds("f(a,\n b)\n[1,\n2]") == [
        .identifier("f"), .symbol(.leftParen), .identifier("a"), .symbol(.comma), .identifier("b"),
        .symbol(.rightParen), .newline, .symbol(.leftBracket), .number(1), .symbol(.comma), .number(2),
        .symbol(.rightBracket), .endOfInput,
      ])
  }

  @Test func keywordsAndTwoCharacterOperators() {
    #expect(
      kinds("def x <= == != >= not") == [
        .keyword(.def), .identifier("x"), .symbol(.lessEqual), .symbol(.equal), .symbol(.notEqual),
        .symbol(.greaterEqual), .keyword(.not), .endOfInput,
      ])
  }

  @Test func tokenSpansPointAtTheirText() {
    let file = SourceFile(name: "t", text: "ab = \"x y\"\n  cd")
    let tokens = Lexer.tokenize(file).tokens
    #expect(tokens.map(\.span.text) == ["ab", "=", "\"x y\"", "\n", "cd", ""])
    #expect(tokens[4].span.location == SourceLocation(line: 2, column: 3))
  }

  @Test func badNumbersAndCharactersAreReportedOnce() {
    let (_, bad) = Lexer.tokenize(SourceFile(name: "t", text: "x = 12ab + 1e + @@@ + é"))
    #expect(bad.map(\.kind) == [.invalidNumber, .invalidNumber, .unexpectedCharacter, .unexpectedCharacter])
    #expect(bad.map(\.location.column) == [5, 12, 17, 23])
  }
}
