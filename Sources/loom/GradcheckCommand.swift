import ArgumentParser
import LoomGraph
import LoomLayers

/// `loom gradcheck`: finite-difference checks of every op, one line each; exit 1 if any fails.
struct Gradcheck: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check every op's gradient against finite differences.")

  @Option(help: "Seed for the random inputs.") var seed: UInt64 = 1
  @Option(help: "Only cases whose name contains this text.") var only: String?

  func run() throws {
    var failed = 0
    print("gradients against central differences (eps 3e-3, 1e-3, 3e-4), bound \(GradientCheck.defaultTolerance):")
    for (title, cases) in [("ops", GradientCheck.opCases), ("layers", GradientCheck.layerCases)] {
      print(title)
      for c in cases where only.map({ c.name.contains($0) }) ?? true {
        let result = try GradientCheck.run(c, seed: seed)
        print("  \(result)")
        if !result.passed { failed += 1 }
      }
    }
    if failed > 0 {
      print("\(failed) failed")
      throw ExitCode(1)
    }
    print("all passed")
  }
}
