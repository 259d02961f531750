import Foundation
import Testing

@testable import LoomConsole

/// Line numbers on the right are the script's own, to check `startLine` by hand.
let percentScript = """
  d = 64
                                          
  # %% [markdown] Introduction
  # # MIN against SASRec
  #
  # Trained on the built-in data.

  # %% Train
  data = synthetic(users: 20, items: 30, seed: 7)

  m = MIN(data, dim: d)
  # %%
  # %%%  an ordinary comment
    # %% indented, also a comment
  print(1)

  """
// 1 d = 64
// 2 (blank)
// 3 # %% [markdown] Introduction
// 4-6 markdown, 7 blank
// 8 # %% Train
// 9 data = …, 10 blank, 11 m = …
// 12 # %%
// 13-15 code, 16 final empty line

@Test func scriptSplitsAtPercentMarkers() {
  let cells = PercentCells.split(percentScript)
  #expect(cells.count == 4)
  #expect(cells[0] == PercentCell(kind: .code, source: "d = 64", startLine: 1))
  #expect(
    cells[1]
      == PercentCell(
        kind: .markdown, title: "Introduction", source: "# MIN against SASRec\n\nTrained on the built-in data.",
        startLine: 4))
  #expect(
    cells[2]
      == PercentCell(
        kind: .code, title: "Train", source: "data = synthetic(users: 20, items: 30, seed: 7)\n\nm = MIN(data, dim: d)",
        startLine: 9))
  #expect(
    cells[3]
      == PercentCell(
        kind: .code, source: "# %%%  an ordinary comment\n  # %% indented, also a comment\nprint(1)", startLine: 13))
  #expect(cells[2].scriptLine(ofCellLine: 3) == 11)
}

@Test func markersAndTheirTitles() {
  #expect(PercentCells.marker("# %%")! == (.code, nil))
  #expect(PercentCells.marker("#%% Evaluate")! == (.code, "Evaluate"))
  #expect(PercentCells.marker("# %% [md]")! == (.markdown, nil))
  #expect(PercentCells.marker("# %% Results [markdown]")! == (.markdown, "Results"))
  #expect(PercentCells.marker("# %%x") == nil)
  #expect(PercentCells.marker(" # %%") == nil)
  #expect(PercentCells.marker("# plain comment") == nil)
}

@Test func emptyCellsAndWindowsLineEnds() {
  let cells = PercentCells.split("# %%\r\n\r\n# %% two\r\nx = 1\r\n")
  #expect(
    cells == [
      PercentCell(kind: .code, source: "", startLine: 2),
      PercentCell(kind: .code, title: "two", source: "x = 1", startLine: 4),
    ])
  #expect(PercentCells.split("\n\n") == [])
  #expect(PercentCells.split("x = 1") == [PercentCell(kind: .code, source: "x = 1", startLine: 1)])
}

@Test func jupyterLinesKeepTheirNewlines() {
  #expect(Notebook.lines("a\nb\n") == ["a\n", "b\n"])
  #expect(Notebook.lines("a\nb") == ["a\n", "b"])
  #expect(Notebook.lines("\n") == ["\n"])
  #expect(Notebook.lines("") == [])
  #expect(Notebook.lines("a\r\nb") == ["a\r\n", "b"])
}

/// The first eight bytes of every PNG, enough to check that the image survives base64.
let pngSignature = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])

/// The notebook of `percentScript` where the second code cell failed, so the third did not run.
func failedRunNotebook() -> Notebook {
  Notebook(
    script: PercentCells.split(percentScript),
    outputs: [
      [.stdout("64\n")],
      [
        .stdout("epoch 1 loss 0.5\n"),
        .display(png: pngSignature, text: "<plot curves.png>"),
        .error(
          name: "RuntimeError", value: "unknown name 'dd'",
          traceback: ["error: unknown name 'dd'", "  --> run.loom:11:15"]),
      ],
    ])
}

@Test func notebookJsonHasNbformatStructure() throws {
  let data = try failedRunNotebook().jsonData()
  let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  #expect(root["nbformat"] as? Int == 4)
  #expect(root["nbformat_minor"] as? Int == 5)
  let metadata = try #require(root["metadata"] as? [String: Any])
  #expect(metadata["kernelspec"] as? [String: String] == ["name": "loom", "display_name": "Loom", "language": "loom"])
  #expect(metadata["language_info"] as? [String: String] == ["name": "loom", "file_extension": ".loom"])

  let cells = try #require(root["cells"] as? [[String: Any]])
  #expect(cells.map { $0["id"] as? String } == ["cell-1", "cell-2", "cell-3", "cell-4"])
  #expect(cells.map { $0["cell_type"] as? String } == ["code", "markdown", "code", "code"])
  #expect(cells.map { $0["execution_count"] as? Int } == [1, nil, 2, nil])
  #expect(cells[3]["execution_count"] is NSNull)
  #expect(cells[1]["outputs"] == nil && cells[1]["execution_count"] == nil)
  #expect(cells[1]["source"] as? [String] == ["# MIN against SASRec\n", "\n", "Trained on the built-in data."])
  #expect((cells[1]["metadata"] as? [String: String])?["title"] == "Introduction")
  #expect(cells[3]["outputs"] as? [Any] != nil && (cells[3]["outputs"] as? [Any])!.isEmpty)

  let outputs = try #require(cells[2]["outputs"] as? [[String: Any]])
  #expect(outputs.map { $0["output_type"] as? String } == ["stream", "display_data", "error"])
  #expect(outputs[0]["name"] as? String == "stdout")
  #expect(outputs[0]["text"] as? [String] == ["epoch 1 loss 0.5\n"])
  let shown = try #require(outputs[1]["data"] as? [String: Any])
  #expect(Data(base64Encoded: shown["image/png"] as? String ?? "") == pngSignature)
  #expect(shown["text/plain"] as? [String] == ["<plot curves.png>"])
  #expect(outputs[2]["ename"] as? String == "RuntimeError")
  #expect(outputs[2]["evalue"] as? String == "unknown name 'dd'")
  #expect(outputs[2]["traceback"] as? [String] == ["error: unknown name 'dd'", "  --> run.loom:11:15"])
}

@Test func notebookIsWrittenWholeOrNotAtAll() throws {
  let directory = NSTemporaryDirectory() + "loomnb-" + UUID().uuidString
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: directory) }
  let notebook = failedRunNotebook()
  try notebook.write(to: directory + "/run.ipynb")
  #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["run.ipynb"])
  #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/run.ipynb")) == notebook.jsonData())
  #expect(
    throws: NotebookError.cannotWrite(
      path: directory + "/none/run.ipynb", reason: "the directory '\(directory)/none' does not exist")
  ) {
    try notebook.write(to: directory + "/none/run.ipynb")
  }
}

/// Whether `python3` can import the reference nbformat package (`pip install nbformat`).
func nbformatIsInstalled() -> Bool {
  (try? python(["-c", "import nbformat"]).status) == 0
}

func python(_ arguments: [String]) throws -> (status: Int32, errors: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3"] + arguments
  let errors = Pipe()
  process.standardError = errors
  process.standardOutput = FileHandle.nullDevice
  try process.run()
  let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  return (process.terminationStatus, text)
}

@Test(.enabled(if: nbformatIsInstalled(), "python3 nbformat is not installed (pip install nbformat); not validated"))
func notebookPassesTheNbformatValidator() throws {
  let path = NSTemporaryDirectory() + "loomnb-\(UUID().uuidString).ipynb"
  let broken = NSTemporaryDirectory() + "loomnb-\(UUID().uuidString).ipynb"
  defer {
    try? FileManager.default.removeItem(atPath: path)
    try? FileManager.default.removeItem(atPath: broken)
  }
  try failedRunNotebook().write(to: path)
  let check = "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))"
  let result = try python(["-c", check, path])
  #expect(result.status == 0, "nbformat rejected the notebook: \(result.errors)")

  try Data(#"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code"}]}"#.utf8)
    .write(to: URL(fileURLWithPath: broken))
  #expect(try python(["-c", check, broken]).status != 0)
}
