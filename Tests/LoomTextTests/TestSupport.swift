import Foundation
import Testing

@testable import LoomText

/// models/all-MiniLM-L6-v2 at the package root (Examples/get-minilm.sh puts it there; models/ is
/// not committed).
let miniLMPath: String = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("models/all-MiniLM-L6-v2").path

let miniLMPresent: Bool = {
  let present = FileManager.default.fileExists(atPath: miniLMPath + "/model.safetensors")
  if !present {
    print("note: skipping all-MiniLM-L6-v2 tests: \(miniLMPath) is missing; run bash Examples/get-minilm.sh")
  }
  return present
}()

/// Tests/LoomTextTests/Fixtures/minilm-reference.json, written by Scripts/encoder-reference.py.
struct ReferenceFixture: Decodable {
  struct TokenCase: Decodable {
    var text: String
    var ids: [Int32]
  }
  struct VectorCase: Decodable {
    var text: String
    var vector: [Float]
  }
  var maxSeqLength: Int
  var tokens: [TokenCase]
  var vectors: [VectorCase]

  enum CodingKeys: String, CodingKey {
    case maxSeqLength = "max_seq_length"
    case tokens, vectors
  }

  static func load() throws -> ReferenceFixture {
    let url = try #require(Bundle.module.url(forResource: "minilm-reference", withExtension: "json", subdirectory: "Fixtures"))
    return try JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: url))
  }
}

/// A fresh folder under the temporary directory, removed by the caller.
func temporaryDirectory() throws -> String {
  let path = NSTemporaryDirectory() + "loomtext-" + UUID().uuidString
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

func write(_ text: String, to path: String) throws {
  try FileManager.default.createDirectory(
    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
  try text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// The bytes of a safetensors file holding F32 tensors, in the given order; `header` may replace
/// the JSON header to make it lie.
func safeTensorsBytes(_ tensors: [(name: String, shape: [Int], values: [Float])], header: String? = nil) -> Data {
  var entries: [String] = []
  var payload: [UInt8] = []
  for t in tensors {
    let begin = payload.count
    for v in t.values { withUnsafeBytes(of: v.bitPattern.littleEndian) { payload.append(contentsOf: $0) } }
    entries.append(
      "\"\(t.name)\":{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(begin),\(payload.count)]}"
    )
  }
  let json = Array((header ?? "{" + entries.joined(separator: ",") + "}").utf8)
  var bytes: [UInt8] = []
  withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.append(contentsOf: $0) }
  return Data(bytes + json + payload)
}

func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
  var dot = 0.0
  var na = 0.0
  var nb = 0.0
  for (x, y) in zip(a, b) {
    dot += Double(x) * Double(y)
    na += Double(x) * Double(x)
    nb += Double(y) * Double(y)
  }
  return dot / max((na * nb).squareRoot(), 1e-30)
}
