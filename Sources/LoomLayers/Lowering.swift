import LoomGraph
import LoomTensor

/// One lowering of layer values into an engine graph, for concrete sizes.
///
/// Item-level values are computed for an *item set* of `itemRows` items (the items a training
/// batch touches, or all items at evaluation), fed as `items`; `seq` gathers them into the
/// batch's `[batch, maxlen]` sequences through local indices (`sequence`, 0 = padding, and the
/// item set always holds the padding item at row 0). In the user pass of an evaluation,
/// item-level values come precomputed for all items and enter as constants.
public final class Lowering {
  public enum Pass: Sendable { case training, items, users }

  public let graph: Graph
  public let pass: Pass
  public let catalog: ItemCatalog
  public let batch: Int
  public let maxlen: Int
  public let itemRows: Int
  var memo: [ObjectIdentifier: NodeID] = [:]
  /// Every attention layer's weights `[batch·heads, L, L]`, in lowering order (MIN Fig. 7 maps).
  public var attentionMaps: [(layer: String, weights: NodeID, heads: Int)] = []
  var precomputed: [ObjectIdentifier: Tensor]
  var lastMaskNode: NodeID?
  /// Serial numbers give every layer a stable name within a model (`selfatt#2`).
  let layerNames: [ObjectIdentifier: String]
  /// Values lowered at their last position only, `[batch, 1, d]` (`lastPositionValues`).
  var lastOnly: Set<ObjectIdentifier> = []

  public init(
    pass: Pass, catalog: ItemCatalog, batch: Int, maxlen: Int, itemRows: Int,
    precomputed: [ObjectIdentifier: Tensor] = [:], layerNames: [ObjectIdentifier: String] = [:], graph: Graph = Graph()
  ) {
    self.graph = graph
    self.pass = pass
    self.catalog = catalog
    self.batch = batch
    self.maxlen = maxlen
    self.itemRows = itemRows
    self.precomputed = precomputed
    self.layerNames = layerNames
  }

  public var training: Bool { pass == .training }

  /// The graph node of a layer value, lowering its inputs first (each value once).
  public func lower(_ node: LayerNode) throws -> NodeID {
    let key = ObjectIdentifier(node)
    if let id = memo[key] { return id }
    let id: NodeID
    if let table = precomputed[key] {
      id = graph.constant(table)
    } else {
      var inputs = try node.inputs.map { try lower($0) }
      let saved = graph.scope
      graph.scope = layerNames[ObjectIdentifier(node.layer)] ?? ""
      defer { graph.scope = saved }
      if !lastOnly.contains(key) {
        id = try node.layer.lower(inputs, self)
      } else if let wanted = node.layer.lastPositionInputs {
        // An input the layer could take at its last position but that another consumer needs
        // whole was lowered whole: cut it here.
        for (k, input) in node.inputs.enumerated()
        where wanted[k] && input.level == .sequence && !lastOnly.contains(ObjectIdentifier(input)) {
          inputs[k] = try lastPosition(inputs[k])
        }
        id = try node.layer.lowerLast(inputs, self)
      } else {
        id = try lastPosition(try node.layer.lower(inputs, self))
      }
    }
    memo[key] = id
    return id
  }

  // The standard inputs, created when a layer first asks for them; `BatchFeeder` fills those
  // that the compiled graph kept.

  /// Global ids of the item set, `[itemRows]`.
  public var itemIDs: NodeID { graph.input("items", [itemRows], type: .int32) }
  /// Words of the item set's items, `[itemRows, maxWords]`.
  public var itemWords: NodeID { graph.input("words", [itemRows, catalog.maxWords], type: .int32) }
  /// 1 for real word slots, 0 for padding, `[itemRows, maxWords]`.
  public var wordMask: NodeID { graph.input("word mask", [itemRows, catalog.maxWords]) }
  /// TF-IDF weight per word slot, `[itemRows, maxWords]`.
  public var wordWeights: NodeID { graph.input("word weights", [itemRows, catalog.maxWords]) }
  /// How often each item of the set occurs in the batch's input sequences: the weight of its
  /// reconstruction term, so the item-wise loss is a mean over sequence positions (MIN §4.1).
  public var itemWeights: NodeID { graph.input("item weights", [itemRows]) }
  /// Local indices of the batch's input sequences into the item set, `[batch, maxlen]`.
  public var sequence: NodeID { graph.input("sequence", [batch, maxlen], type: .int32) }
  /// 1 at real positions, 0 at padding, `[batch, maxlen]`.
  public var sequenceMask: NodeID { graph.input("sequence mask", [batch, maxlen]) }
  /// The last column of `sequence`, `[batch, 1]`.
  public var lastSequence: NodeID { graph.input("last sequence", [batch, 1], type: .int32) }
  /// The last column of `sequence mask`, `[batch, 1]`.
  public var lastPositionMask: NodeID {
    get throws {
      if let id = lastMaskNode { return id }
      let id = try lastPosition(sequenceMask)
      lastMaskNode = id
      return id
    }
  }

  func lastPosition(_ x: NodeID) throws -> NodeID { try graph.sliceTime(x, start: maxlen - 1, length: 1) }

  // MARK: Last position only

  /// The sequence-level values of `root`'s ancestry that are needed only at their last position
  /// when `root` is (evaluation scores the user state at the last position). A value qualifies
  /// when every consumer takes it at its last position only (`Layer.lastPositionInputs`), e.g.
  /// MIN's ID self-attention output and both cross-attention queries; a self-attention's
  /// input, a GRU's or a cross-attention's context are needed whole.
  /// `whole`: other values the same graph computes (auxiliary losses), whose inputs are needed
  /// at every position.
  static func lastPositionValues(_ root: LayerNode, whole: [LayerNode] = []) -> Set<ObjectIdentifier> {
    guard root.level == .sequence else { return [] }
    var lastOnly: [ObjectIdentifier: Bool] = [ObjectIdentifier(root): true]
    for node in whole { lastOnly[ObjectIdentifier(node)] = false }
    // Ancestry lists every value after its inputs, so reversed, every consumer comes first.
    for node in Recommender.ancestry([root] + whole).reversed() {
      let last = lastOnly[ObjectIdentifier(node)] ?? false
      let wanted = last ? node.layer.lastPositionInputs : nil
      for (k, input) in node.inputs.enumerated() {
        let key = ObjectIdentifier(input)
        lastOnly[key] = (lastOnly[key] ?? true) && input.level == .sequence && (wanted?[k] ?? false)
      }
    }
    return Set(lastOnly.filter(\.value).keys)
  }
}
