import ArgumentParser
import Foundation
import LoomConsole
import LoomFiles
import LoomKernel

/// `loom kernel CONNECTION_FILE` (what Jupyter runs) and `loom kernel install` (the kernelspec).
struct KernelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kernel", abstract: "Serve Loom to Jupyter (JupyterLab, Notebook, VS Code), or install its kernelspec.",
    subcommands: [Serve.self, Install.self], defaultSubcommand: Serve.self)

  struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "serve", abstract: "Run the kernel on the channels of a Jupyter connection file.")

    @Argument(help: "The connection file Jupyter wrote (ports, key, signature scheme).") var connectionFile: String

    func run() throws {
      try DistributedRun.requireOneProcess("the Jupyter kernel")
      let info: ConnectionInfo
      do {
        info = try ConnectionInfo.read(from: connectionFile)
      } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(66)
      }
      // SIGINT is not how Jupyter interrupts this kernel (interrupt_mode "message"); a stray one
      // from a terminal must not kill the session.
      signal(SIGINT, SIG_IGN)
      let kernel = try Kernel(info) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
      kernel.run()
    }
  }

  struct Install: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "install", abstract: "Write Loom's kernelspec where Jupyter looks for kernels.")

    @Flag(help: "Install for this user (JUPYTER_DATA_DIR or ~/.local/share/jupyter).") var user = false
    @Option(help: "Install under DIR/share/jupyter (a virtualenv's or conda environment's prefix).") var prefix: String?
    @Option(help: "The kernel's name (a folder under kernels/).") var name = "loom"

    func run() throws {
      guard !(user && prefix != nil) else { throw ValidationError("give --user or --prefix, not both") }
      guard name.range(of: #"^[A-Za-z0-9._-]+$"#, options: .regularExpression) != nil else {
        throw ValidationError("--name may hold letters, digits, '.', '_' and '-' only")
      }
      let data: String
      if let prefix {
        data = (prefix as NSString).appendingPathComponent("share/jupyter")
      } else if user {
        let environment = ProcessInfo.processInfo.environment
        data = environment["JUPYTER_DATA_DIR"] ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share/jupyter")
      } else {
        data = "/usr/local/share/jupyter"
      }
      let folder = (data as NSString).appendingPathComponent("kernels/\(name)")
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let spec = KernelSpec(
        argv: [Self.executablePath, "kernel", "{connection_file}"], displayName: "Loom",
        language: "loom", interruptMode: "message")
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      try writeAtomically(
        try encoder.encode(spec) + Data("\n".utf8), to: (folder as NSString).appendingPathComponent("kernel.json"))
      try writeAtomically(KernelLogo.png64, to: (folder as NSString).appendingPathComponent("logo-64x64.png"))
      print("installed the Loom kernelspec in \(folder)")
    }

    /// This `loom`'s absolute path (Jupyter starts the kernel from anywhere).
    static var executablePath: String {
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
  }
}

/// kernel.json (Jupyter client docs, "Kernel specs").
struct KernelSpec: Encodable {
  var argv: [String]
  var displayName: String
  var language: String
  var interruptMode: String
  var metadata: [String: String] = [:]

  enum CodingKeys: String, CodingKey {
    case argv, language, metadata
    case displayName = "display_name"
    case interruptMode = "interrupt_mode"
  }
}
