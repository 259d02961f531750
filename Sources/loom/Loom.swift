import ArgumentParser
import Foundation
import LoomConsole
import LoomRec

/// `loom` with no arguments starts the REPL; `loom run FILE.loom` runs a script.
/// Exit statuses follow sysexits.h: 64 bad usage, 65 syntax or check error, 70 runtime error
/// (130 when stopped with Ctrl-C).
@main
struct Loom: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "loom",
    abstract: "A small language and REPL for multimodal sequential recommenders.",
    version: "loom \(loomVersion)",
    subcommands: [
      Repl.self, Run.self, NotebookCommand.self, DataCommand.self, Gradcheck.self, Bench.self, EncodeCommand.self,
      KernelCommand.self,
    ],
    defaultSubcommand: Repl.self)

  /// ArgumentParser's main, with MPI started first and left last when mpirun launched us.
  static func main() {
    DistributedRun.start()
    do {
      var command = try parseAsRoot()
      try command.run()
      DistributedRun.finish(status: 0)
    } catch {
      let message = fullMessage(for: error)
      if !message.isEmpty {
        FileHandle.standardError.write(Data((DistributedRun.errorPrefix + message + "\n").utf8))
      }
      DistributedRun.finish(status: exitCode(for: error).rawValue)
    }
  }
}
