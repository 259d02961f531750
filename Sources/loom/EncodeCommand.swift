import ArgumentParser
import Foundation
import LoomFiles
import LoomRec
import LoomTensor
import LoomText

/// `loom encode MODEL_DIR --input TEXTS.txt --output OUT.npy`: one sentence vector per input
/// line, as a float32 .npy of shape [lines, dimension]. Exit statuses follow sysexits.h: 64 bad
/// usage, 65 a model folder that cannot be used, 66 an input that cannot be read, 73 an output
/// that cannot be written.
struct EncodeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "encode",
    abstract: "Sentence vectors from a sentence-transformers model folder (BERT family, e.g. all-MiniLM-L6-v2).",
    discussion: """
      One text per line of --input (an empty line is an empty text); one float32 row per line in \
      --output. bash Examples/get-minilm.sh fetches all-MiniLM-L6-v2 into models/.
      """)

  @Argument(help: "A sentence-transformers model folder (config.json, model.safetensors, tokenizer.json, modules.json).")
  var model: String
  @Option(help: "A UTF-8 text file, one text per line.") var input: String
  @Option(help: "The .npy file to write (replaced atomically).") var output: String
  @Option(help: "Texts per forward pass.") var batch: Int = 32
  @Option(help: "Threads the products are split over (default: OPENBLAS_NUM_THREADS or all cores).") var threads: Int?

  func validate() throws {
    guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
  }

  func run() throws {
    if let threads { BLAS.threads = threads }
    let texts = try Self.readLines(input)
    let encoder: SentenceEncoder
    do {
      encoder = try SentenceEncoder(modelDirectory: model)
    } catch let error as EncoderError {
      fail("error: \(error)", status: 65)
    }
    let start = Date()
    let vectors = try encoder.encode(texts, batchSize: batch)
    let seconds = Date().timeIntervalSince(start)
    let bytes = NumPyFile.encode(rows: texts.count, cols: encoder.dimension, values: vectors)
    do {
      try writeAtomically(bytes, to: output)
    } catch {
      fail("error: \(output): cannot be written: \(error)", status: 73)
    }
    let rate = seconds > 0 ? String(format: "%.0f", Double(texts.count) / seconds) : "-"
    FileHandle.standardError.write(
      Data(
        String(
          format: "encoded %d texts into %d dimensions in %.2f s (%@ texts/s, %d threads) -> %@\n",
          texts.count, encoder.dimension, seconds, rate, BLAS.threads, output
        ).utf8))
  }

  /// The lines of a UTF-8 file: a final newline ends the last line rather than starting an empty
  /// one, and a carriage return before a newline is dropped.
  static func readLines(_ path: String) throws -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else {
      fail("error: \(path): cannot be read (no such file?)", status: 66)
    }
    guard let text = String(data: data, encoding: .utf8) else {
      fail("error: \(path): is not UTF-8 text", status: 66)
    }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
    }
    if lines.last == "" { lines.removeLast() }
    return lines
  }
}

/// Prints `message` to standard error and exits with `status`.
private func fail(_ message: String, status: Int32) -> Never {
  FileHandle.standardError.write(Data((message + "\n").utf8))
  EncodeCommand.exit(withError: ExitCode(status))
}
