import Foundation
import LoomRec
import Testing

/// `loom encode MODEL_DIR --input TEXTS --output OUT.npy`, run as a user runs it: the built
/// binary on the reference texts (one per line) reproduces sentence-transformers' vectors from
/// Tests/LoomTextTests/Fixtures (written by Scripts/encoder-reference.py).
@Suite struct EncodeCommandTests {
  static let model = TerminalReplTests.packageRoot.appendingPathComponent("models/all-MiniLM-L6-v2").path
  static let fixture = TerminalReplTests.packageRoot.appendingPathComponent("Tests/LoomTextTests/Fixtures/minilm-reference.json")
    .path

  struct Reference: Decodable {
    struct Vector: Decodable {
      var text: String
      var vector: [Double]
    }
    var vectors: [Vector]
  }

  func run(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
    let binary = try #require(TerminalReplTests.binary(), "build the loom executable first (swift build)")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let data = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: model + "/model.safetensors"),
      "models/all-MiniLM-L6-v2 is missing: run bash Examples/get-minilm.sh"))
  func reproducesTheReferenceVectors() throws {
    let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: Self.fixture)))
    // One text per line: the references that hold no line break.
    let cases = reference.vectors.filter { !$0.text.contains(where: \.isNewline) }
    try #require(cases.count >= 10)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("encode-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let input = folder.appendingPathComponent("texts.txt").path
    let output = folder.appendingPathComponent("vectors.npy").path
    try (cases.map(\.text).joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
    let result = try run(["encode", Self.model, "--input", input, "--output", output, "--threads", "1"])
    #expect(result.status == 0, "\(result.stderr)")
    let matrix = try NumPyFile.read(path: output)
    #expect(matrix.rows == cases.count && matrix.cols == 384)
    for (row, expected) in cases.enumerated() {
      let got = matrix.values[(row * 384)..<((row + 1) * 384)].map(Double.init)
      let dot = zip(got, expected.vector).reduce(0) { $0 + $1.0 * $1.1 }
      let norms = (got.reduce(0) { $0 + $1 * $1 } * expected.vector.reduce(0) { $0 + $1 * $1 }).squareRoot()
      #expect(dot / norms >= 0.9999, "cosine \(dot / norms) for \(expected.text.prefix(40))")
    }
  }

  @Test func aMissingModelFolderIsStatus65WithTheFileNamed() throws {
    let input = FileManager.default.temporaryDirectory.appendingPathComponent("encode-\(UUID().uuidString).txt").path
    try "a text\n".write(toFile: input, atomically: true, encoding: .utf8)
    let result = try run(["encode", "/nonexistent/model", "--input", input, "--output", input + ".npy"])
    #expect(result.status == 65)
    #expect(result.stderr.contains("/nonexistent/model"))
    #expect(!FileManager.default.fileExists(atPath: input + ".npy"))
  }
}
