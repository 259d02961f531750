import ArgumentParser
import Foundation
import LoomRec

/// `loom data stats PATH`: a data set's statistics, as MIN's Table 1.
struct DataCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "data", abstract: "Inspect data sets.", subcommands: [Stats.self])

  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Users, items, interactions, lengths, density, modalities.")
    @Argument(
      help:
        "A data set folder (RecBole atomic files, pre-split NAME.{train,valid,test}.inter, or MMRec's layout), or 'synthetic'.")
    var path: String
    @Option(help: "Comma-separated .item columns that form the text modality.") var text: String = ""
    @Option(help: "Visual features: a float_seq column, a .npy file, a raw float32 file, or kg.") var visual: String?
    @Option(help: "Named feature tables, NAME=SOURCE[,NAME=SOURCE...], e.g. visual=Scientific.feat3CLS,text=Scientific.feat1CLS.")
    var features: String = ""

    func run() throws {
      let data: Dataset
      if path == "synthetic" {
        data = try Dataset.synthetic(users: 2000, items: 3000, seed: 7)
      } else {
        do {
          let named = try features.split(separator: ",").map { pair -> (name: String, source: FeatureSource) in
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
              throw DataError(
                .badOption, file: "--features", "expected NAME=SOURCE, found '\(pair)'",
                help: "e.g. --features visual=Scientific.feat3CLS,text=Scientific.feat1CLS")
            }
            return (name: String(parts[0]), source: FeatureSource(String(parts[1]), directory: path))
          }
          data = try Dataset.load(
            directory: path, text: text.split(separator: ",").map(String.init),
            visual: visual.map { FeatureSource($0, directory: path) }, features: named)
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
