import ArgumentParser
import Foundation
import LoomRec

/// `loom data stats PATH`: a data set's statistics, as MIN's Table 1.
struct DataCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "data", abstract: "Inspect data sets.", subcommands: [Stats.self])

  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Users, items, interactions, lengths, density, modalities.")
    @Argument(help: "A folder of RecBole atomic files (NAME.inter, NAME.item, ...), or 'synthetic'.") var path: String
    @Option(help: "Comma-separated .item columns that form the text modality.") var text: String = ""
    @Option(help: "Visual features: a float_seq column, a .npy file, or kg.") var visual: String?

    func run() throws {
      let data: Dataset
      if path == "synthetic" {
        data = try Dataset.synthetic(users: 2000, items: 3000, seed: 7)
      } else {
        do {
          data = try Dataset.load(directory: path, text: text.split(separator: ",").map(String.init),
                                  visual: visual.map(VisualSource.init))
        } catch {
          // A DataError renders itself ("error: FILE:LINE: ...", then its help); to stderr, so
          // that `loom data stats ... > out.txt` does not bury the failure in the output file.
          let text = (error as? DataError).map(\.description) ?? "error: \(error)"
          FileHandle.standardError.write(Data((text + "\n").utf8))
          throw ExitCode(65)
        }
      }
      print(describe(data))
    }
  }
}
