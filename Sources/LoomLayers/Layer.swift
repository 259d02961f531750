import LoomGraph
import LoomTensor

/// A layer: its parameters, listed explicitly, and how it lowers into a graph once its inputs
/// have been lowered. Every layer prints itself on one line, `GRU(64 => 64)`, and `summary`,
/// errors and the REPL reuse that string.
public protocol Layer: AnyObject, CustomStringConvertible {
  /// The language's name for the layer ("selfatt", "encdec", ...), in layer names such as
  /// `selfatt#2`, summaries and checkpoints.
  var callName: String { get }
  var weights: [Weight] { get }
  func lower(_ inputs: [NodeID], _ context: Lowering) throws -> NodeID
  /// True when an item's representation depends on its distance to the end of the padded row
  /// (selfatt's end-anchored positions). Such a layer gives a prefix folded into a longer row
  /// different context than the prefix alone, so the trainer does not fold prefixes for it.
  var anchorsPositionsAtRowEnd: Bool { get }
  /// Evaluation reads the user value at the last position only (`Lowering.lastPositionValues`).
  /// When this layer's output is needed only there: for each input, whether the layer needs
  /// that input only at its last position too, or nil when the layer cannot compute its last
  /// position alone (it is then lowered whole and sliced).
  var lastPositionInputs: [Bool]? { get }
  /// Lowers the layer's last position only, `[batch, 1, d]`, given inputs lowered as
  /// `lastPositionInputs` asks (last position `[batch, 1, d]` where true).
  func lowerLast(_ inputs: [NodeID], _ context: Lowering) throws -> NodeID
}

extension Layer {
  public var anchorsPositionsAtRowEnd: Bool { false }
  public var lastPositionInputs: [Bool]? { nil }
  /// Position-wise layers lower the same way at any sequence length.
  public func lowerLast(_ inputs: [NodeID], _ context: Lowering) throws -> NodeID { try lower(inputs, context) }
  public var parameterCount: Int { weights.reduce(0) { $0 + $1.parameter.count } }
}

/// Merges the bookkeeping of values that meet: auxiliary losses registered anywhere in a model
/// under construction (by `encdec` or `infonce`) end up in one list that `recommender` reads.
/// Union–find: every source value starts its own draft; combining values joins their drafts.
public final class Draft: @unchecked Sendable {
  private var parent: Draft?
  private var ownLosses: [(node: LayerNode, weight: Float)] = []

  init() {}

  var root: Draft {
    var d = self
    while let p = d.parent { d = p }
    var c = self
    while let p = c.parent, p !== d {
      c.parent = d
      c = p
    }
    return d
  }

  static func join(_ drafts: [Draft]) -> Draft {
    let roots = drafts.map(\.root)
    let first = roots[0]
    for r in roots.dropFirst() where r !== first {
      first.ownLosses += r.ownLosses
      r.ownLosses = []
      r.parent = first
    }
    return first
  }

  func register(_ loss: LayerNode, weight: Float) { root.ownLosses.append((loss, weight)) }
  var losses: [(node: LayerNode, weight: Float)] { root.ownLosses }
}

/// A symbolic value of a model under construction: made by a layer from other values, with a
/// level and a feature size. Nothing is computed until a model is compiled.
public final class LayerNode: @unchecked Sendable, CustomStringConvertible {
  public let layer: any Layer
  public let inputs: [LayerNode]
  public let level: Level
  /// Size of the last axis (0 for id sources).
  public let features: Int
  /// `items(data)` and `words(data)`: integer ids, only `embed` and `tfidf` take them.
  public let isIndex: Bool
  let draft: Draft

  public init(_ layer: any Layer, inputs: [LayerNode], level: Level, features: Int, isIndex: Bool = false) {
    self.layer = layer
    self.inputs = inputs
    self.level = level
    self.features = features
    self.isIndex = isIndex
    draft = inputs.isEmpty ? Draft() : Draft.join(inputs.map(\.draft))
  }

  /// The shape legend for people: `[items, 64]`, `[batch, maxlen, 64]`.
  public var shapeDescription: String {
    switch level {
    case .token: return isIndex ? "[items, words]" : "[items, words, \(features)]"
    case .item: return isIndex ? "[items]" : "[items, \(features)]"
    case .sequence: return "[batch, maxlen, \(features)]"
    case .loss: return "[1]"
    }
  }

  public var description: String { "\(layer) → \(level) \(shapeDescription)" }

  /// Registers an auxiliary training term on the model this value belongs to.
  public func registerLoss(_ loss: LayerNode, weight: Float) { draft.register(loss, weight: weight) }

  /// Every value this one depends on, itself last, each once (depth-first, inputs in order).
  public var ancestry: [LayerNode] {
    var seen = Set<ObjectIdentifier>()
    var order: [LayerNode] = []
    func visit(_ n: LayerNode) {
      guard seen.insert(ObjectIdentifier(n)).inserted else { return }
      for i in n.inputs { visit(i) }
      order.append(n)
    }
    visit(self)
    return order
  }
}
