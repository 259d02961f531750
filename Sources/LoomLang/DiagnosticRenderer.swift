/// Renders diagnostics in the one format Loom uses everywhere:
///
/// ```
/// error: selfatt expects a sequence-level value, got item-level 'vis'
///   --> sweep.loom:12:9
///    |
/// 12 |   s_v = selfatt(vis)
///    |         ^^^^^^^^^^^^
///    = help: lift it with seq(vis)
/// ```
///
/// The gutter is as wide as the line number; a span that runs over several lines is
/// underlined to the end of its first line.
public enum DiagnosticRenderer {
  public static func render(_ diagnostic: Diagnostic) -> String {
    let span = diagnostic.span
    let location = span.location
    let number = String(location.line)
    let gutter = String(repeating: " ", count: number.count)
    var lines = ["error: \(diagnostic.message)"]
    lines.append("\(gutter)--> \(span.file.name):\(location.line):\(location.column)")
    let source = span.file.lineText(location.line)
    if !span.file.text.isEmpty {
      lines.append("\(gutter) |")
      lines.append("\(number) | \(source)")
      lines.append("\(gutter) | \(caretLine(source: source, span: span, column: location.column))")
    }
    if let help = diagnostic.help {
      lines.append("\(gutter) = help: \(help)")
    }
    return lines.joined(separator: "\n")
  }

  /// Renders several diagnostics separated by blank lines.
  public static func render(_ diagnostics: [Diagnostic]) -> String {
    diagnostics.map(render).joined(separator: "\n\n")
  }

  /// Spaces (tabs kept where the source has tabs, so carets line up) then one caret per character.
  static func caretLine(source: String, span: SourceSpan, column: Int) -> String {
    let characters = Array(source)
    let startIndex = min(column - 1, characters.count)
    let prefix: [Character] = characters[0..<startIndex].map { $0 == "\t" ? "\t" : " " }
    let endLocation = span.file.location(of: span.end)
    let endColumn = endLocation.line == span.location.line ? endLocation.column : characters.count + 1
    let width = max(1, endColumn - column)
    return String(prefix) + String(repeating: "^", count: width)
  }
}
