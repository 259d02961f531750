import ArgumentParser

@main
struct Loom: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "loom",
    abstract: "A language and REPL for multimodal sequential recommenders.",
    subcommands: [Gradcheck.self, Bench.self])
}
