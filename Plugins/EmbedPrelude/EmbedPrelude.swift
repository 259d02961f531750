import Foundation
import PackagePlugin

/// Turns the target's `prelude.loom` into `PreludeText.swift` (`let preludeText: String`) in the
/// plugin's work directory at build time, so the prelude is compiled into the binary while
/// prelude.loom stays the one readable source of it.
@main
struct EmbedPrelude: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    guard let target = target as? SourceModuleTarget else { return [] }
    let tool = try context.tool(named: "TextToSwift")
    let output = context.pluginWorkDirectoryURL.appending(path: "PreludeText.swift")
    return target.sourceFiles.filter { $0.url.lastPathComponent == "prelude.loom" }.map { prelude in
      .buildCommand(
        displayName: "Embedding \(prelude.url.lastPathComponent) in \(target.name)",
        executable: tool.url,
        arguments: [prelude.url.path, output.path, "preludeText"],
        inputFiles: [prelude.url],
        outputFiles: [output])
    }
  }
}
