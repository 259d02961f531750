import LoomGraph
import LoomTensor

/// `items(data)`: the ids of the item set (item-level, integer). Feed it to `embed`.
public final class ItemIDs: Layer {
  public var callName: String { "items" }
  public let catalog: ItemCatalog
  init(_ catalog: ItemCatalog) { self.catalog = catalog }
  public var weights: [Weight] { [] }
  public var description: String { "Items(\(catalog.itemCount))" }
  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID { c.itemIDs }

  public static func node(_ catalog: ItemCatalog) -> LayerNode {
    LayerNode(ItemIDs(catalog), inputs: [], level: .item, features: 0, isIndex: true)
  }
}

/// `words(data)`: each item's word ids (token-level, integer). Feed it to `embed` or `tfidf`.
public final class WordIDs: Layer {
  public var callName: String { "words" }
  public let catalog: ItemCatalog
  init(_ catalog: ItemCatalog) { self.catalog = catalog }
  public var weights: [Weight] { [] }
  public var description: String { "Words(\(catalog.vocabularySize) words, \(catalog.maxWords) per item)" }
  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID { c.itemWords }

  public static func node(_ catalog: ItemCatalog) throws -> LayerNode {
    guard catalog.hasText else {
      throw LayerError(
        .data, "data set '\(catalog.name)' has no text modality",
        help: "load it with text: [\"column\", ...] or use synthetic(...)")
    }
    return LayerNode(WordIDs(catalog), inputs: [], level: .token, features: 0, isIndex: true)
  }
}

/// `features(data, "visual")`: a precomputed dense feature table (frozen), item-level.
public final class ItemFeatures: Layer {
  public var callName: String { "features" }
  public let modality: String
  public let table: Tensor
  public let catalog: ItemCatalog
  init(_ modality: String, _ table: Tensor, _ catalog: ItemCatalog) {
    self.modality = modality
    self.table = table
    self.catalog = catalog
  }
  public var weights: [Weight] { [] }
  public var description: String { "Features(\"\(modality)\", \(table.shape[1]))" }
  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID {
    try c.graph.gather(c.graph.constant(table), c.itemIDs)
  }

  public static func node(_ catalog: ItemCatalog, _ modality: String) throws -> LayerNode {
    guard let table = catalog.features[modality] else {
      let known = catalog.features.keys.sorted()
      throw LayerError(
        .data, argument: 1, "data set '\(catalog.name)' has no feature '\(modality)'",
        help: known.isEmpty ? "this data set has no dense features" : "it has: " + known.joined(separator: ", "))
    }
    return LayerNode(ItemFeatures(modality, table, catalog), inputs: [], level: .item, features: table.shape[1])
  }
}
