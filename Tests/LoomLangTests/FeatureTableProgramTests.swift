import Foundation
import Testing

@testable import LoomLang

/// A pre-split folder with 4-wide raw float32 image and text tables, written for the test.
private func toyFolder() throws -> String {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("loomlang-\(UUID().uuidString)").appendingPathComponent("Toy")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  let header = "user_id:token\titem_id_list:token_seq\titem_id:token\n"
  let files = [
    "Toy.item2index": (0..<6).map { "X\($0)\t\($0)\n" }.joined(),
    "Toy.user2index": "A\t0\nB\t1\nC\t2\n",
    "Toy.train.inter": header + "0\t0 1\t2\n0\t0\t1\n1\t3\t4\n2\t5\t0\n",
    "Toy.valid.inter": header + "0\t0 1 2\t3\n1\t3 4\t5\n2\t5 0\t1\n",
    "Toy.test.inter": header + "0\t0 1 2 3\t4\n1\t3 4 5\t0\n2\t5 0 1\t2\n",
    "Toy.text": "item_id:token\ttext:token_seq\n" + (0..<6).map { "X\($0)\tproduct number \($0)\n" }.joined(),
  ]
  for (name, text) in files { try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8) }
  for (name, sign) in [("Toy.feat1CLS", Float(1)), ("Toy.feat3CLS", Float(-1))] {
    var bytes = Data()
    for v in (0..<24).map({ sign * Float($0) / 8 }) {
      withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }
    try bytes.write(to: directory.appendingPathComponent(name))
  }
  return directory.path
}

@Suite struct FeatureTableProgramTests {
  let builtins = Builtins.standard(StandardEnvironment(terminal: false))

  @Test func theTextTableReplacesWordsInThePreludeModels() throws {
    let path = try toyFolder()
    let run = runLoom(
      """
      data = load("\(path)", features: {visual: "Toy.feat3CLS", text: "Toy.feat1CLS"})
      print(data)
      print(has_features(data, "text"), has_features(data, "audio"))
      print(features(data, "text"))
      summary(MIN(data, dim: 8))
      summary(MFN4Rec(data, dim: 8))
      """, builtins: builtins)
    #expect(run.diagnostics.isEmpty, "\(run.diagnostics)")
    #expect(run.output.contains("dataset 'Toy': 3 users, 6 items, 13 interactions; text 4-d, visual 4-d"))
    #expect(run.output.contains("true false"))
    #expect(run.output.contains("Features(\"text\", 4)"))
    // MIN projects the table (Dense 4 => 8) instead of running a GRU over words.
    let min = run.output.components(separatedBy: "model MFN4Rec")[0]
    #expect(min.contains("Dense(4 => 8)"))
    #expect(!min.contains("GRU"))
    // MFN4Rec feeds the table to its text GRU as it feeds the visual table, in place of TF-IDF.
    let mfn = run.output.components(separatedBy: "model MFN4Rec")[1]
    #expect(mfn.contains("GRU(4 => 8)"))
    #expect(!mfn.contains("TFIDF"))
  }

  @Test func withoutATextTableTheModelsReadWords() throws {
    let path = try toyFolder()
    let run = runLoom(
      """
      data = load("\(path)", visual: "Toy.feat3CLS")
      print(has_features(data, "text"))
      summary(MIN(data, dim: 8))
      """, builtins: builtins)
    #expect(run.diagnostics.isEmpty, "\(run.diagnostics)")
    #expect(run.output.contains("false"))
    #expect(run.output.contains("GRU(8 => 8)"))
    #expect(!run.output.contains("Features(\"text\""))
  }

  @Test func badFeatureArgumentsAreClearErrors() throws {
    let path = try toyFolder()
    let notASource = runLoom("load(\"\(path)\", features: {text: 3})", builtins: builtins)
    #expect(notASource.diagnostics.first?.kind == .typeMismatch)
    let notARecord = runLoom("load(\"\(path)\", features: [\"Toy.feat1CLS\"])", builtins: builtins)
    #expect(notARecord.diagnostics.first?.message.contains("a record {name: source, ...}") == true)
    let badSize = runLoom("load(\"\(path)\", features: {text: \"Toy.text\"})", builtins: builtins)
    #expect(badSize.diagnostics.first?.message.contains("not a whole number of float32 rows") == true)
    let noSplit = runLoom("load(\"\(path)\", split: \"sideways\")", builtins: builtins)
    #expect(noSplit.diagnostics.first?.message.contains("\"given\"") == true)
  }
}
