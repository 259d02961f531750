import ArgumentParser
import Foundation
import LoomConsole

/// `loom notebook FILE.loom -o OUT.ipynb`: runs a `# %%` percent-format script cell by cell and
/// writes a Jupyter notebook (nbformat 4) with each cell's output and plots.
struct NotebookCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "notebook", abstract: "Run a script as notebook cells (# %%) and write an .ipynb.")

  @Argument(help: "The script, cells separated by lines starting with # %%.") var file: String
  @Option(name: .shortAndLong, help: "The notebook to write (default: FILE with .ipynb).") var output: String?

  func run() throws {
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
      throw ValidationError("cannot read '\(file)'")
    }
    Interrupt.install()
    let target = output ?? (file.hasSuffix(".loom") ? String(file.dropLast(5)) : file) + ".ipynb"
    let (notebook, failed) = NotebookRunner.run(script: text, name: file, isCancelled: { Interrupt.isRequested })
    try notebook.write(to: target)
    print("wrote \(target)" + (failed ? " (a cell failed; later cells were not run)" : ""))
    if failed { throw ExitCode(70) }
  }
}
