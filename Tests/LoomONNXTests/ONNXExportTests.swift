import Foundation
import LoomGraph
import LoomLang
import LoomTensor
import Testing

@testable import LoomONNX

/// The export's structure, read back with the same protobuf messages, and its errors. Whether
/// ONNX Runtime scores as Loom does is checked by the ONNX tools themselves (Tests/ONNX, run by
/// Scripts/onnx-tests.sh in `make test`).
@Suite struct ONNXExportTests {
  let folder: String = {
    let path = NSTemporaryDirectory() + "loom-onnx-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }()

  /// Runs a program with the standard library; returns its output and the first error's text.
  func run(_ text: String) -> (output: String, error: String?) {
    var output = ""
    let interpreter = Interpreter(builtins: .standard(StandardEnvironment(terminal: false)), output: { output += $0 })
    do {
      try interpreter.run(SourceFile(name: "<test>", text: text))
      return (output, nil)
    } catch {
      return (output, error.diagnostics.map { "\($0.message) \($0.help ?? "")" }.joined(separator: "\n"))
    }
  }

  @Test func theModelDeclaresItsInputsOutputsAndItemTable() throws {
    let path = "\(folder)/sasrec.onnx"
    let (output, error) = run(
      """
      d = synthetic(users: 30, items: 50, seed: 2)
      m = SASRec(d, dim: 8)
      export_onnx(m, d, "\(path)", k: 5)
      """)
    #expect(error == nil)
    #expect(output.contains("history [batch, 50] in; scores [batch, 51], top_items and top_scores [batch, 5] out"))
    let model = try Onnx_ModelProto(serializedBytes: try Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(model.irVersion == 8)
    #expect(model.opsetImport.map(\.version) == [17])
    #expect(model.producerName == "loom")
    #expect(model.graph.input.map(\.name) == ["history"])
    let history = model.graph.input[0].type.tensorType
    #expect(history.elemType == Int32(Onnx_TensorProto.DataType.int64.rawValue))
    #expect(history.shape.dim.map(\.dimParam) == ["batch", ""])
    #expect(history.shape.dim.map(\.dimValue) == [0, 50])
    #expect(model.graph.output.map(\.name) == ["scores", "top_items", "top_scores"])
    // The item table, computed at export: 50 items and the padding row, 8 wide, as raw floats.
    let tables = model.graph.initializer.filter { $0.dims == [51, 8] }
    #expect(tables.count == 1)
    #expect(tables.first?.rawData.count == 51 * 8 * 4)
    // Nodes come in topological order: every input is defined before it is read.
    var defined = Set(["history"] + model.graph.initializer.map(\.name))
    for node in model.graph.node {
      for input in node.input where !input.isEmpty { #expect(defined.contains(input), "\(node.name) reads \(input)") }
      defined.formUnion(node.output)
    }
    #expect(defined.isSuperset(of: ["scores", "top_items", "top_scores"]))
    // The sidecar maps every index to its original id; index 0 is the padding item.
    let sidecar = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/sasrec.json")))
    let items = (sidecar as? [String: Any])?["items"] as? [[String: Any]] ?? []
    #expect(items.count == 51)
    #expect(items.first?["id"] == nil)
    #expect(items.dropFirst().allSatisfy { $0["id"] is String })
  }

  @Test func theItemTableHoldsTheTrainedValues() throws {
    let path = "\(folder)/gru.onnx"
    let (_, error) = run(
      """
      d = synthetic(users: 30, items: 40, seed: 2)
      m = GRU4Rec(d, dim: 4)
      fit(m, d, epochs: 1)
      export_onnx(m, d, "\(path)")
      """)
    #expect(error == nil)
    let model = try Onnx_ModelProto(serializedBytes: try Data(contentsOf: URL(fileURLWithPath: path)))
    let table = try #require(model.graph.initializer.first { $0.dims == [41, 4] })
    let values = table.rawData.withUnsafeBytes { raw in
      (0..<(41 * 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
    }
    #expect(values.prefix(4).allSatisfy { $0 == 0 }, "the padding row is zero")
    #expect(values.dropFirst(4).contains { $0 != 0 })
    #expect(values.allSatisfy { $0.isFinite })
  }

  @Test func errorsSayWhatAndWriteNothing() {
    let path = "\(folder)/bad.onnx"
    let pop = run("d = synthetic(users: 20, items: 30)\np = Pop(d)\nfit(p, d)\nexport_onnx(p, d, \"\(path)\")").error
    #expect(pop?.contains("needs a neural model") == true)
    let k = run("d = synthetic(users: 20, items: 30)\nexport_onnx(SASRec(d, dim: 8), d, \"\(path)\", k: 31)").error
    #expect(k?.contains("1 ≤ k ≤ 30") == true)
    let other = run(
      "d = synthetic(users: 20, items: 30)\ne = synthetic(users: 20, items: 31)\nexport_onnx(SASRec(d, dim: 8), e, \"\(path)\")"
    ).error
    #expect(other?.contains("built for 30 items") == true)
    let missing = run("d = synthetic(users: 20, items: 30)\nexport_onnx(SASRec(d, dim: 8), d, \"\(folder)/no/such/dir/m.onnx\")")
      .error
    #expect(missing?.contains("cannot write") == true)
    #expect(!FileManager.default.fileExists(atPath: path))
    #expect(!FileManager.default.fileExists(atPath: "\(folder)/bad.json"))
  }

  @Test func anOpWithoutAnONNXFormNamesItsLayer() throws {
    let graph = Graph()
    graph.scope = "infonce#1"
    let rows = graph.input("sequence mask", [4, 3])
    let shuffled = try graph.apply(ShuffleRows(), rows, graph.constant(Tensor(shape: [4], repeating: 1)))
    var translation = GraphTranslation(graph: graph, onnx: ONNXGraphBuilder(), inputs: ["sequence mask": "mask"])
    #expect {
      try translation.translate([shuffled])
    } throws: { error in
      "\(error)" == "layer infonce#1 uses the op 'shuffle rows', which has no ONNX form in Loom's export"
    }
  }

  @Test func sidecarSitsBesideTheModel() {
    #expect(ONNXExport.sidecarPath("out/m.onnx") == "out/m.json")
    #expect(ONNXExport.sidecarPath("out/model") == "out/model.json")
  }
}
