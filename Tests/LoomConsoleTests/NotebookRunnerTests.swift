import Foundation
import Testing

@testable import LoomConsole

/// A script run as notebook cells: outputs and plots land in their cells, an error stops the run
/// in its cell with the script's own line numbers, and the file passes nbformat's validator.
@Suite(.serialized) struct NotebookRunnerTests {
  let plotPath = NSTemporaryDirectory() + "loom-notebook-\(UUID().uuidString).png"

  var script: String {
    """
    # %% [markdown]
    # A small experiment
    # %%
    data = synthetic(users: 40, items: 50, seed: 1)
    print(data.items)
    # %% a plot
    plot([{x: 1, y: 2}, {x: 2, y: 3}], x: "x", y: "y", to: "\(plotPath)")
    # %%
    print(undefined)
    # %%
    print("never")
    """
  }

  @Test func outputsPlotsAndTheFirstErrorLandInTheirCells() throws {
    defer { try? FileManager.default.removeItem(atPath: plotPath) }
    let (notebook, failed) = NotebookRunner.run(script: script, name: "exp.loom")
    #expect(failed)
    #expect(notebook.cells.count == 5)
    guard case .code(1, let first) = notebook.cells[1].kind else {
      Issue.record("cell 2 did not run")
      return
    }
    #expect(first == [.stdout("50\n")])
    guard case .code(2, let second) = notebook.cells[2].kind else {
      Issue.record("cell 3 did not run")
      return
    }
    let png = second.compactMap { if case .display(let data?, _, _) = $0 { data } else { nil } }
    #expect(png.count == 1)
    #expect(png.first?.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    guard case .code(3, let third) = notebook.cells[3].kind,
      case .error(_, let message, let traceback)? = third.last
    else {
      Issue.record("cell 4 should hold the error")
      return
    }
    #expect(message == "unknown name 'undefined'")
    #expect(traceback.contains(" --> exp.loom:9:7"))
    guard case .code(nil, let never) = notebook.cells[4].kind else {
      Issue.record("cell 5 should not run")
      return
    }
    #expect(never.isEmpty)
  }

  @Test func aSummaryIsAnHTMLTableAfterTheTextPrintedBeforeIt() throws {
    let script = """
      # %%
      m = GRU4Rec(synthetic(users: 40, items: 50, seed: 1), dim: 8)
      print("before")
      summary(m)
      """
    let (notebook, failed) = NotebookRunner.run(script: script, name: "summary.loom")
    #expect(!failed)
    guard case .code(1, let outputs) = notebook.cells[0].kind, outputs.count == 2,
      case .display(nil, let html?, let text) = outputs[1]
    else {
      Issue.record("the cell should hold the printed line and then the summary's display")
      return
    }
    #expect(outputs[0] == .stdout("before\n"))
    #expect(text.hasPrefix("model GRU4Rec"))
    #expect(html.hasPrefix("<table>\n<caption>model GRU4Rec"))
    #expect(html.contains("<tr><td>gru#1</td><td>GRU(8 =&gt; 8)</td><td>sequence [batch, maxlen, 8]</td><td>432</td></tr>"))
  }

  @Test(.enabled(if: nbformatIsInstalled(), "python3 nbformat is not installed (pip install nbformat); not validated"))
  func theRunNotebookIsValidNbformat() throws {
    defer { try? FileManager.default.removeItem(atPath: plotPath) }
    let path = NSTemporaryDirectory() + "loomnb-\(UUID().uuidString).ipynb"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try NotebookRunner.run(script: script, name: "exp.loom").notebook.write(to: path)
    let check = try python(["-c", "import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", path])
    #expect(check.status == 0, "\(check.errors)")
  }

  /// A cell ending in an expression keeps its value as an execute_result (with the cell's
  /// execution count), an evaluation report also as an HTML table, and nbformat accepts it.
  @Test func aTrailingExpressionIsTheCellsResult() throws {
    let script = """
      # %%
      x = 6
      # %%
      x * 7
      # %%
      data = synthetic(users: 40, items: 50, seed: 1)
      p = Pop(data)
      fit(p, data)
      evaluate(p, data, k: [10], metrics: ["hr"])
      """
    let (notebook, failed) = NotebookRunner.run(script: script, name: "values.loom")
    #expect(!failed)
    guard case .code(1, let first) = notebook.cells[0].kind, case .code(2, let second) = notebook.cells[1].kind,
      case .code(3, let third) = notebook.cells[2].kind
    else {
      Issue.record("the cells did not run")
      return
    }
    #expect(first.isEmpty)
    #expect(second == [.result(text: "42", html: nil)])
    guard case .result(let text, let html)? = third.last else {
      Issue.record("no result in \(third)")
      return
    }
    #expect(text.contains("hr@10"))
    #expect(html?.hasPrefix("<table>") == true && html?.contains("<td>hr@10</td>") == true)
    let json = String(decoding: try notebook.jsonData(), as: UTF8.self)
    #expect(json.contains("\"output_type\" : \"execute_result\""))
    #expect(json.contains("\"execution_count\" : 2"))
    if nbformatIsInstalled() {
      let path = NSTemporaryDirectory() + "loomnb-\(UUID().uuidString).ipynb"
      defer { try? FileManager.default.removeItem(atPath: path) }
      try notebook.write(to: path)
      let check = try python(["-c", "import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", path])
      #expect(check.status == 0, "\(check.errors)")
    }
  }
}
