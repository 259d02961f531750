import LoomGraph
import LoomTensor

/// `embed(ids, dim)`: a learned table, one row per id, row 0 (padding) zero and frozen in place
/// by the gather's padding index. Over `items(data)` it is item-level `[items, dim]`; over
/// `words(data)` token-level `[items, words, dim]`.
public final class Embedding: Layer {
  public var callName: String { "embed" }
  public let rows: Int
  public let dim: Int
  let table: Weight

  init(rows: Int, dim: Int) {
    self.rows = rows
    self.dim = dim
    table = Weight("embedding", [rows, dim], .embedding(std: Self.scale))
  }
  /// The standard deviation of a fresh embedding entry (torch-ref M21), and so the scale every
  /// item-side representation starts at (see `Dense`'s initialisation over a feature table).
  public static let scale: Float = 0.02

  public var weights: [Weight] { [table] }
  public var description: String { "Embedding(\(rows) => \(dim))" }

  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID {
    try c.graph.gather(c.graph.parameter(table.parameter), inputs[0], paddingIndex: 0)
  }

  public static func node(_ ids: LayerNode, dim: Int) throws -> LayerNode {
    guard ids.isIndex else {
      throw LayerError(
        .argument, argument: 0, "embed expects ids, items(data) or words(data), got \(ids.adjectiveLevel) value",
        help: "use dense(x, \(dim)) to map features")
    }
    try requireSize(dim, "embed", "the size", argument: 1)
    let rows: Int
    if let items = ids.layer as? ItemIDs {
      rows = items.catalog.itemCount + 1
    } else if let words = ids.layer as? WordIDs {
      rows = words.catalog.vocabularySize
    } else {
      throw LayerError(.argument, argument: 0, "embed expects items(data) or words(data)")
    }
    try requireTable(rows, dim, "embed")
    return LayerNode(Embedding(rows: rows, dim: dim), inputs: [ids], level: ids.level, features: dim)
  }
}
