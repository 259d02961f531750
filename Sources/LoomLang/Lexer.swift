/// Turns source bytes into tokens, each with its span.
///
/// - numbers: `64`, `0.1`, `1e-3`, `2.5E+4`
/// - strings: double-quoted, one line, escapes `\"` `\n` `\t` `\\`
/// - comments: `#` to the end of the line
/// - line breaks become `newline` tokens, except inside `( )` and `[ ]` where an expression may
///   run over several lines; blank lines collapse into one.
public struct Lexer {
  let file: SourceFile
  private let bytes: [UInt8]
  private var position = 0
  private var groupingDepth = 0
  private var tokens: [Token] = []
  private var diagnostics: [Diagnostic] = []

  public init(file: SourceFile) {
    self.file = file
    self.bytes = file.bytes
  }

  /// Lexes the whole file. The token list always ends with `endOfInput`.
  public static func tokenize(_ file: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
    var lexer = Lexer(file: file)
    lexer.run()
    return (lexer.tokens, lexer.diagnostics)
  }

  private mutating func run() {
    while position < bytes.count {
      let byte = bytes[position]
      switch byte {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
        position += 1
      case UInt8(ascii: "\n"):
        if groupingDepth == 0, let last = tokens.last, last.kind != .newline {
          append(.newline, from: position, to: position + 1)
        }
        position += 1
      case UInt8(ascii: "#"):
        while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
      case UInt8(ascii: "\""), UInt8(ascii: "'"):
        lexString(quote: byte)
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        lexNumber()
      case _ where Lexer.isIdentifierStart(byte):
        lexWord()
      default:
        lexSymbol()
      }
    }
    append(.endOfInput, from: bytes.count, to: bytes.count)
  }

  static func isIdentifierStart(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
      || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte == UInt8(ascii: "_")
  }

  static func isIdentifierPart(_ byte: UInt8) -> Bool {
    isIdentifierStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
  }

  private func isDigit(_ offset: Int) -> Bool {
    offset < bytes.count && bytes[offset] >= UInt8(ascii: "0") && bytes[offset] <= UInt8(ascii: "9")
  }

  private mutating func append(_ kind: TokenKind, from start: Int, to end: Int) {
    tokens.append(Token(kind: kind, span: SourceSpan(file: file, start: start, end: end)))
  }

  private mutating func report(
    _ kind: DiagnosticKind, _ message: String, from start: Int, to end: Int, help: String? = nil
  ) {
    let span = SourceSpan(file: file, start: start, end: end)
    diagnostics.append(Diagnostic(kind, message, at: span, help: help, phase: .syntax))
  }

  /// number := digits ('.' digits)? (('e'|'E') ('+'|'-')? digits)?
  private mutating func lexNumber() {
    let start = position
    while isDigit(position) { position += 1 }
    if position < bytes.count, bytes[position] == UInt8(ascii: "."), isDigit(position + 1) {
      position += 1
      while isDigit(position) { position += 1 }
    }
    var valid = true
    if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
      position += 1
      if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
        position += 1
      }
      if !isDigit(position) { valid = false }
      while isDigit(position) { position += 1 }
    }
    if position < bytes.count, Lexer.isIdentifierPart(bytes[position]) {
      valid = false
      while position < bytes.count, Lexer.isIdentifierPart(bytes[position]) { position += 1 }
    }
    let text = String(decoding: bytes[start..<position], as: UTF8.self)
    guard valid, let value = Double(text) else {
      report(
        .invalidNumber, "invalid number '\(text)'", from: start, to: position,
        help: "numbers look like 64, 0.1 or 1e-3")
      append(.number(0), from: start, to: position)
      return
    }
    append(.number(value), from: start, to: position)
  }

  private mutating func lexWord() {
    let start = position
    while position < bytes.count, Lexer.isIdentifierPart(bytes[position]) { position += 1 }
    let word = String(decoding: bytes[start..<position], as: UTF8.self)
    if let keyword = Keyword(rawValue: word) {
      append(.keyword(keyword), from: start, to: position)
    } else {
      append(.identifier(word), from: start, to: position)
    }
  }

  /// string := '"' (char | '\"' | '\n' | '\t' | '\\')* '"', on one line.
  private mutating func lexString(quote: UInt8) {
    let start = position
    position += 1
    if quote == UInt8(ascii: "'") {
      let end = bytes[position...].firstIndex { $0 == quote || $0 == UInt8(ascii: "\n") } ?? bytes.count
      report(
        .unexpectedCharacter, "strings use double quotes", from: start, to: min(end + 1, bytes.count),
        help: "write \"...\" instead of '...'")
    }
    var content: [UInt8] = []
    while position < bytes.count, bytes[position] != quote, bytes[position] != UInt8(ascii: "\n") {
      if bytes[position] == UInt8(ascii: "\\") {
        let escapeStart = position
        position += 1
        let next: UInt8? = position < bytes.count ? bytes[position] : nil
        switch next {
        case UInt8(ascii: "n"): content.append(UInt8(ascii: "\n"))
        case UInt8(ascii: "t"): content.append(UInt8(ascii: "\t"))
        case UInt8(ascii: "\""): content.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): content.append(UInt8(ascii: "\\"))
        default:
          let end = next == nil || next == UInt8(ascii: "\n") ? position : position + 1
          let shown = String(decoding: bytes[escapeStart..<end], as: UTF8.self)
          report(
            .invalidEscape, "invalid escape '\(shown)' in string", from: escapeStart, to: end,
            help: "the escapes are \\\" \\n \\t \\\\")
          if next == nil || next == UInt8(ascii: "\n") { continue }
        }
        position += 1
      } else {
        content.append(bytes[position])
        position += 1
      }
    }
    guard position < bytes.count, bytes[position] == quote else {
      if quote == UInt8(ascii: "'") {
        append(.string(String(decoding: content, as: UTF8.self)), from: start, to: position)
        return
      }
      report(
        .unterminatedString, "unterminated string", from: start, to: position,
        help: "close it with \" on the same line")
      append(.string(String(decoding: content, as: UTF8.self)), from: start, to: position)
      return
    }
    position += 1
    append(.string(String(decoding: content, as: UTF8.self)), from: start, to: position)
  }

  private mutating func lexSymbol() {
    let start = position
    let twoCharacter: String? =
      position + 1 < bytes.count
      ? String(decoding: bytes[position..<position + 2], as: UTF8.self) : nil
    if let pair = twoCharacter, let symbol = Symbol(rawValue: pair), pair.count == 2 {
      position += 2
      append(.symbol(symbol), from: start, to: position)
      return
    }
    let one = String(decoding: [bytes[position]], as: UTF8.self)
    if bytes[position] < 0x80, let symbol = Symbol(rawValue: one) {
      position += 1
      switch symbol {
      case .leftParen, .leftBracket: groupingDepth += 1
      case .rightParen, .rightBracket: groupingDepth = max(0, groupingDepth - 1)
      default: break
      }
      append(.symbol(symbol), from: start, to: position)
      return
    }
    // Skip a whole run of unknown characters (and a whole UTF-8 sequence) so one typo is one error.
    repeat {
      position += 1
      while position < bytes.count, bytes[position] & 0xC0 == 0x80 { position += 1 }
    } while position < bytes.count && isUnknown(bytes[position])
    let text = String(decoding: bytes[start..<position], as: UTF8.self)
    var help: String?
    if text == "!" { help = "use 'not' for negation" }
    if text == "&" || text == "&&" { help = "use 'and'" }
    if text == "|" || text == "||" { help = "use 'or'" }
    report(.unexpectedCharacter, "unexpected character '\(text)'", from: start, to: position, help: help)
  }

  private func isUnknown(_ byte: UInt8) -> Bool {
    if byte >= 0x80 { return true }
    if Lexer.isIdentifierPart(byte) { return false }
    switch byte {
    case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
      UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "#"):
      return false
    default:
      return Symbol(rawValue: String(decoding: [byte], as: UTF8.self)) == nil && byte != UInt8(ascii: "!")
    }
  }
}
