/// A builtin's signature, parsed from the string it is registered with, e.g.
/// `fit(model, data, epochs: 10, lr: 0.001)` or `concat(inputs...)`.
///
/// The string is both the documentation (`:help fit` prints it) and the source of truth for
/// argument checking: parameter names, which are required, and literal defaults. A default that
/// is not a literal (`hidden: dim`) is documentation only; the builtin computes it.
public struct Signature: CustomStringConvertible {
  public struct Parameter {
    public let name: String
    /// The default as written, nil for a required parameter.
    public let defaultText: String?
    /// The default as a value when it is a literal (number, string, bool, none, list, record).
    public let defaultValue: Value?
    public let isVariadic: Bool
  }

  /// The name of a trailing `**options` parameter that takes every other keyword (passed on to
  /// a model function or to `fit`), nil when the builtin takes only its own keywords.
  public let extraKeywords: String?

  public let name: String
  public let parameters: [Parameter]
  public let description: String

  /// Parses `name(p1, p2: default, rest...)`; nil if the text is not of that form.
  public init?(_ text: String) {
    let file = SourceFile(name: "<signature>", text: text)
    let (tokens, diagnostics) = Lexer.tokenize(file)
    guard diagnostics.isEmpty, tokens.count >= 4, case .identifier(let name) = tokens[0].kind,
      tokens[1].kind == .symbol(.leftParen)
    else { return nil }
    var parameters: [Parameter] = []
    var extraKeywords: String? = nil
    var index = 2
    while tokens[index].kind != .symbol(.rightParen) {
      if tokens[index].kind == .symbol(.star), tokens[index + 1].kind == .symbol(.star),
        case .identifier(let collector) = tokens[index + 2].kind, tokens[index + 3].kind == .symbol(.rightParen)
      {
        extraKeywords = collector
        index += 3
        break
      }
      guard case .identifier(let parameterName) = tokens[index].kind else { return nil }
      index += 1
      var isVariadic = false
      if index + 2 < tokens.count, tokens[index..<index + 3].allSatisfy({ $0.kind == .symbol(.dot) }) {
        isVariadic = true
        index += 3
      }
      var defaultText: String?
      if tokens[index].kind == .symbol(.colon) {
        index += 1
        let start = tokens[index].span.start
        var depth = 0
        while index < tokens.count - 1 {
          let kind = tokens[index].kind
          if depth == 0, kind == .symbol(.comma) || kind == .symbol(.rightParen) { break }
          if [.symbol(.leftParen), .symbol(.leftBracket), .symbol(.leftBrace)].contains(kind) { depth += 1 }
          if [.symbol(.rightParen), .symbol(.rightBracket), .symbol(.rightBrace)].contains(kind) { depth -= 1 }
          index += 1
        }
        defaultText = file.text(of: SourceSpan(file: file, start: start, end: tokens[index].span.start))
          .trimmingSpaces()
        guard defaultText?.isEmpty == false else { return nil }
      }
      let defaultValue = defaultText.flatMap(LiteralValue.parse)
      parameters.append(
        Parameter(name: parameterName, defaultText: defaultText, defaultValue: defaultValue, isVariadic: isVariadic))
      if tokens[index].kind == .symbol(.comma) { index += 1 }
      guard index < tokens.count - 1 else { return nil }
    }
    self.name = name
    self.parameters = parameters
    self.extraKeywords = extraKeywords
    self.description = text
  }

  var parameterSpecs: [ParameterSpec] {
    parameters.map {
      ParameterSpec(name: $0.name, isRequired: $0.defaultText == nil && !$0.isVariadic, isVariadic: $0.isVariadic)
    }
      + (extraKeywords.map { [ParameterSpec(name: $0, isRequired: false, isVariadic: false, collectsKeywords: true)] } ?? [])
  }

  public func parameter(named name: String) -> Parameter? { parameters.first { $0.name == name } }
}

extension String {
  func trimmingSpaces() -> String {
    var text = Substring(self)
    while let first = text.first, first == " " || first == "\t" || first == "\n" { text = text.dropFirst() }
    while let last = text.last, last == " " || last == "\t" || last == "\n" { text = text.dropLast() }
    return String(text)
  }
}
