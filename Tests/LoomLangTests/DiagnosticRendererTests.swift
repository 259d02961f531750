import Testing

@testable import LoomLang

struct DiagnosticRendererTests {
  @Test func rendersTheDesignsExampleExactly() {
    let lines = (1...11).map { "line\($0) = \($0)" } + ["  s_v = selfatt(vis)"]
    let file = SourceFile(name: "sweep.loom", text: lines.joined(separator: "\n") + "\n")
    let start = file.lineStarts[11] + 8
    let diagnostic = Diagnostic(
      .hostError, "selfatt expects a sequence-level value, got item-level 'vis'",
      at: SourceSpan(file: file, start: start, end: start + 12), help: "lift it with seq(vis)")
    #expect(
      DiagnosticRenderer.render(diagnostic) == """
        error: selfatt expects a sequence-level value, got item-level 'vis'
          --> sweep.loom:12:9
           |
        12 |   s_v = selfatt(vis)
           |         ^^^^^^^^^^^^
           = help: lift it with seq(vis)
        """)
  }

  @Test func gutterFollowsTheLineNumberWidthAndHelpIsOptional() {
    let file = SourceFile(name: "a.loom", text: "x = y")
    let diagnostic = Diagnostic(.unknownName, "unknown name 'y'", at: SourceSpan(file: file, start: 4, end: 5))
    #expect(
      DiagnosticRenderer.render(diagnostic) == """
        error: unknown name 'y'
         --> a.loom:1:5
          |
        1 | x = y
          |     ^
        """)
  }

  @Test func columnsCountCharactersAndSpansOverLinesStopAtTheLineEnd() {
    let file = SourceFile(name: "u.loom", text: "s = \"é\" + f(1,\n 2)")
    let start = Array(file.text.utf8).firstIndex(of: UInt8(ascii: "f"))!
    let diagnostic = Diagnostic(.typeMismatch, "m", at: SourceSpan(file: file, start: start, end: file.bytes.count))
    #expect(diagnostic.location == SourceLocation(line: 1, column: 11))
    #expect(DiagnosticRenderer.render(diagnostic).hasSuffix("1 | s = \"é\" + f(1,\n  |           ^^^^"))
  }

  @Test func suggestionsUseEditDistance() {
    #expect(Suggestion.editDistance("kitten", "sitting") == 3)
    #expect(Suggestion.nearest(to: "lrr", among: ["lr", "epochs", "batch"]) == "lr")
    #expect(Suggestion.nearest(to: "dimm", among: ["dim", "dims", "d"]) == "dim")
    #expect(Suggestion.nearest(to: "xyz", among: ["epochs"]) == nil)
  }
}
