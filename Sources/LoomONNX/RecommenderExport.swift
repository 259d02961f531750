import Foundation
import LoomFiles
import LoomGraph
import LoomLayers
import LoomRec
import LoomTensor
import SwiftProtobuf

/// A trained recommender as an ONNX model that scores new histories exactly as Loom does.
///
/// The model (opset 17, IR version 8):
/// - input `history`: int64 `[batch, maxlen]`, internal item indices, left-padded with 0 (the
///   padding item); the sidecar JSON maps indices to original ids;
/// - output `scores`: float `[batch, items + 1]`, every item's score from the last position's
///   user state (column 0, the padding item, is not an item);
/// - outputs `top_items` (int64) and `top_scores` (float), `[batch, k]`: the k best items that
///   are not in the history and are not the padding item, best first, ties to the lower index
///   (as Loom's `recommend` and `export` rank).
///
/// The item side (ID embeddings and every item-level modality path: dense projections, text
/// encoders, encoder-decoders) is computed once here, with the trained parameters, and stored as
/// initializers; the user side is Loom's evaluation graph translated op by op
/// (`GraphTranslation`), so the exported scores are those of `evaluate` and `recommend`.
public enum ONNXExport {
  public static let opset = 17
  public static let irVersion: Int64 = 8

  /// What was written, for the caller's one-line report.
  public struct Summary: Sendable {
    public var path: String
    public var itemsPath: String
    public var bytes: Int
    public var nodes: Int
    public var items: Int
    public var maxlen: Int
    public var k: Int
  }

  /// The ONNX model of `recommender` for histories of `maxlen` items and top-`k` lists.
  public static func model(
    _ recommender: Recommender, maxlen: Int, k: Int, description: String, producerVersion: String
  ) throws -> Onnx_ModelProto {
    let items = recommender.catalog.itemCount
    guard maxlen >= 1 else { throw ONNXExportError.badArgument("export_onnx needs maxlen ≥ 1, not \(maxlen)") }
    guard k >= 1, k <= items else {
      throw ONNXExportError.badArgument("export_onnx needs 1 ≤ k ≤ \(items) (the catalogue's items), not \(k)")
    }
    let (graph, scoresNode) = try recommender.userScoringGraph(batch: 1, maxlen: maxlen)
    var onnx = ONNXGraphBuilder()
    onnx.reserve(["history", "scores", "top_items", "top_scores"])
    onnx.graph.name = description
    // The engine's inputs, derived from the history: ids, real positions, the last column.
    let history = "history"
    let real = onnx.apply("Not", [onnx.apply("Equal", [history, onnx.index(0)], name: "inputs")], name: "inputs")
    let mask = onnx.apply("Cast", [real], [Attribute.int("to", Int(Onnx_TensorProto.DataType.float.rawValue))], name: "inputs")
    let last = onnx.apply(
      "Slice", [history, onnx.integers([maxlen - 1]), onnx.integers([maxlen]), onnx.integers([1])], name: "inputs")
    var translation = GraphTranslation(
      graph: graph, onnx: onnx, inputs: ["sequence": history, "sequence mask": mask, "last sequence": last])
    let raw = try translation.translate([scoresNode])[0]
    onnx = translation.onnx
    onnx.output(raw, as: "scores")

    // Top-k among the items the user has not seen: the history's items and the padding column
    // get −∞ (ScatterElements writes −∞ at the history's indices, padding included; a full
    // history has no 0, so column 0 is also masked by adding a −∞ row).
    let minusInfinity = onnx.apply(
      "Expand", [onnx.scalar(-.infinity), onnx.apply("Shape", [history], name: "top_k")], name: "top_k")
    let unseen = onnx.apply(
      "ScatterElements", [raw, history, minusInfinity], [Attribute.int("axis", 1)], name: "top_k")
    let paddingColumn = onnx.initializer(
      "top_k/padding column", floats: [-.infinity] + [Float](repeating: 0, count: items), dims: [1, items + 1])
    let candidates = onnx.apply("Add", [unseen, paddingColumn], name: "top_k")
    let top = onnx.node(
      "TopK", [candidates, onnx.integers([k])],
      [Attribute.int("axis", -1), Attribute.int("largest", 1), Attribute.int("sorted", 1)], outputs: 2, name: "top_k")
    onnx.output(top[0], as: "top_scores")
    onnx.output(top[1], as: "top_items")

    onnx.graph.input = [
      ONNXGraphBuilder.valueInfo(
        history, .int64, [nil, maxlen],
        doc: "item indices (see the sidecar JSON), oldest first, left-padded with 0 to maxlen")
    ]
    onnx.graph.output = [
      ONNXGraphBuilder.valueInfo(
        "scores", .float, [nil, items + 1], doc: "every item's score; column 0 is the padding item"),
      ONNXGraphBuilder.valueInfo("top_items", .int64, [nil, k], doc: "the best k unseen items, best first"),
      ONNXGraphBuilder.valueInfo("top_scores", .float, [nil, k], doc: "their scores"),
    ]
    var model = Onnx_ModelProto()
    model.irVersion = irVersion
    var opsetID = Onnx_OperatorSetIdProto()
    opsetID.domain = ""
    opsetID.version = Int64(opset)
    model.opsetImport = [opsetID]
    model.producerName = "loom"
    model.producerVersion = producerVersion
    model.docString = "\(description): scores of every item for left-padded histories of \(maxlen) items"
    model.metadataProps = [("model", description), ("maxlen", "\(maxlen)"), ("items", "\(items)"), ("k", "\(k)")].map {
      var entry = Onnx_StringStringEntryProto()
      entry.key = $0.0
      entry.value = $0.1
      return entry
    }
    model.graph = onnx.graph
    return model
  }

  /// Writes the model to `path` and the item map to the sidecar (`path` with `.json` for
  /// `.onnx`), both atomically.
  public static func write(
    _ recommender: Recommender, data: Dataset, maxlen: Int, k: Int, to path: String, description: String,
    producerVersion: String
  ) throws -> Summary {
    guard data.itemCount == recommender.catalog.itemCount else {
      throw ONNXExportError.badArgument(
        "the model was built on \(recommender.catalog.itemCount) items, the data set '\(data.name)' has \(data.itemCount): export with the data set the model was built on"
      )
    }
    let model = try Self.model(
      recommender, maxlen: maxlen, k: k, description: description, producerVersion: producerVersion)
    let bytes: [UInt8] = try model.serializedBytes()
    let itemsPath = sidecarPath(path)
    let sidecar = ItemMap(
      model: description, maxlen: maxlen, k: k, padding: 0,
      items: (0...data.itemCount).map { i in
        ItemMap.Item(
          index: i, id: i == 0 ? nil : data.itemIDs[i],
          title: data.titles.flatMap { i < $0.count && !$0[i].isEmpty ? $0[i] : nil })
      })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // The item map first: a model is never written without the map that reads it.
    for (file, content) in [(itemsPath, Array(try encoder.encode(sidecar)) + [10]), (path, bytes)] {
      do {
        try writeAtomically(content, to: file)
      } catch let failure as AtomicWriteFailure {
        throw ONNXExportError.cannotWrite("cannot write '\(file)': \(failure.reason)")
      }
    }
    return Summary(
      path: path, itemsPath: itemsPath, bytes: bytes.count, nodes: model.graph.node.count, items: data.itemCount,
      maxlen: maxlen, k: k)
  }

  /// `model.onnx` → `model.json`; any other name gets `.json` appended.
  public static func sidecarPath(_ path: String) -> String {
    path.hasSuffix(".onnx") ? String(path.dropLast(5)) + ".json" : path + ".json"
  }

  /// The sidecar: index → original id and title, and how the model reads its input.
  struct ItemMap: Encodable {
    struct Item: Encodable {
      var index: Int
      var id: String?
      var title: String?
    }
    var model: String
    var maxlen: Int
    var k: Int
    var padding: Int
    var items: [Item]
  }
}
