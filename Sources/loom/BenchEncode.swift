import ArgumentParser
import Foundation
import LoomTensor
import LoomText

/// `loom bench encode`: sentence vectors for MovieLens-100k's 1,682 items (title and genres,
/// joined by a space as the text modality joins its columns) with all-MiniLM-L6-v2; the median of
/// `--rounds` timed rounds after one untimed warm-up. Scripts/bench-encode-torch.py does the same
/// work with sentence-transformers on PyTorch, for Docs/performance.md.
struct BenchEncode: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "encode", abstract: "Texts per second of the sentence encoder on MovieLens-100k's item texts.")

  @Option(help: "Threads each large op is split over (OpenBLAS itself runs on one).") var threads: Int = 1
  @Option(help: "Timed rounds (the median is reported).") var rounds: Int = 3
  @Option(help: "Texts per forward pass.") var batch: Int = 32
  @Option(help: "The model folder.") var model: String = "models/all-MiniLM-L6-v2"
  @Option(help: "The RecBole .item file with movie_title and class columns.") var items: String = "data/ml-100k/ml-100k.item"

  func validate() throws {
    guard threads >= 1, rounds >= 1, batch >= 1 else {
      throw ValidationError("--threads, --rounds and --batch must be at least 1")
    }
  }

  func run() throws {
    BLAS.threads = threads
    let texts = try Self.itemTexts(items)
    let encoder: SentenceEncoder
    do {
      encoder = try SentenceEncoder(modelDirectory: model)
    } catch {
      throw ValidationError("\(error)")
    }
    let tokens = texts.reduce(0) { $0 + encoder.tokenizer.encode($1).count }
    print("\(texts.count) texts, \(tokens) tokens with [CLS]/[SEP]; batch \(batch); threads \(threads)")
    _ = try encoder.encode(texts, batchSize: batch)
    var times: [Double] = []
    for round in 1...rounds {
      let start = Date()
      _ = try encoder.encode(texts, batchSize: batch)
      let seconds = Date().timeIntervalSince(start)
      times.append(seconds)
      print(String(format: "round %d: %.3f s", round, seconds))
    }
    let median = times.sorted()[times.count / 2]
    print(String(format: "loom: median %.3f s, %.0f texts/s", median, Double(texts.count) / median))
  }

  /// "title genres" for every row of a RecBole atomic .item file (tab-separated, `name:type`
  /// header).
  static func itemTexts(_ path: String) throws -> [String] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw ValidationError("cannot read \(path): run bash Examples/get-ml100k.sh")
    }
    var lines = text.split(separator: "\n").map(String.init)
    guard !lines.isEmpty else { throw ValidationError("\(path) is empty") }
    let header = lines.removeFirst().split(separator: "\t", omittingEmptySubsequences: false).map {
      String($0.split(separator: ":").first ?? "")
    }
    guard let title = header.firstIndex(of: "movie_title"), let genres = header.firstIndex(of: "class") else {
      throw ValidationError("\(path) has no movie_title and class columns")
    }
    return lines.map { line in
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
      let parts = [title, genres].compactMap { $0 < fields.count ? String(fields[$0]) : nil }
      return parts.joined(separator: " ")
    }
  }
}
