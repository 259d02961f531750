import Foundation
import LoomLang

/// Runs a percent-format script cell by cell in one interpreter and collects each code cell's
/// printed output and plots; an error is recorded in its cell and later cells are not run.
/// Diagnostics keep the script's own line numbers (each cell is parsed at its place in the file).
public enum NotebookRunner {
  public static func run(script: String, name: String, isCancelled: @escaping () -> Bool = { false }) -> (
    notebook: Notebook, failed: Bool
  ) {
    let cells = PercentCells.split(script)
    let environment = StandardEnvironment(terminal: false)
    environment.collectImages = true
    var printed = ""
    let interpreter = Interpreter(builtins: Builtins.standard(environment), output: { printed += $0 }, isCancelled: isCancelled)
    var outputs: [[CellOutput]] = []
    var failed = false
    var cellOutputs: [CellOutput] = []
    // A table shown mid-cell (`summary`) follows the text printed before it.
    environment.richDisplay = { text, html in
      if !printed.isEmpty { cellOutputs.append(.stdout(printed)) }
      printed = ""
      cellOutputs.append(.display(png: nil, html: html, text: text))
    }
    for cell in cells where cell.kind == .code {
      printed = ""
      cellOutputs = []
      // Blank lines before the cell's text put every token on its line in the script.
      let source = SourceFile(name: name, text: String(repeating: "\n", count: max(0, cell.startLine - 1)) + cell.source)
      var failure: [Diagnostic] = []
      var value: Value? = nil
      do {
        value = try interpreter.run(source)
      } catch {
        // `run` throws only DiagnosticList (typed throws).
        failure = error.diagnostics
      }
      if !printed.isEmpty { cellOutputs.append(.stdout(printed)) }
      for image in environment.takeImages() { cellOutputs.append(.display(png: Data(image.png), text: image.text)) }
      if let value {
        // A cell ending in an expression shows its value, as Jupyter shows a kernel's execute_result.
        var html: String? = nil
        if case .host(let host) = value { html = host.html }
        cellOutputs.append(.result(text: ValueFormatter.repr(value), html: html))
      }
      if let first = failure.first {
        let rendered = DiagnosticRenderer.render(failure)
        cellOutputs.append(.error(name: "\(first.kind)", value: first.message, traceback: rendered.components(separatedBy: "\n")))
        outputs.append(cellOutputs)
        failed = true
        break
      }
      outputs.append(cellOutputs)
    }
    return (Notebook(script: cells, outputs: outputs), failed)
  }
}
