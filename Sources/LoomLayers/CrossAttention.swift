import LoomGraph
import LoomTensor

/// `crossatt(query, context, heads: 1, dropout: 0.1)`: causal cross-attention between two
/// sequences of the same batch (MIN §4.2.2):
///
///   E^c_{v→t} = Att(E^s_v W^q, E^s_t W^k, E^s_t W^v)
///
/// Position t of `query` attends to positions ≤ t of `context`; no residual, feed-forward or
/// layer norm (the paper's formula has none, torch-ref M12). Each call has its own W^q, W^k,
/// W^v (the reference shares one set between the two directions; the cost is the same).
/// Shapes: query `[batch, maxlen, dq]`, context `[batch, maxlen, dc]` → `[batch, maxlen, dq]`.
public final class CrossAttention: Layer {
  public var callName: String { "crossatt" }
  public let queryDim, contextDim, heads: Int
  public let dropout: Float
  let wq, wk, wv: Weight

  init(queryDim: Int, contextDim: Int, heads: Int, dropout: Float) {
    (self.queryDim, self.contextDim, self.heads, self.dropout) = (queryDim, contextDim, heads, dropout)
    wq = Weight("w_q", [queryDim, queryDim], .xavierNormal(fanIn: queryDim, fanOut: queryDim))
    wk = Weight("w_k", [contextDim, queryDim], .xavierNormal(fanIn: contextDim, fanOut: queryDim))
    wv = Weight("w_v", [contextDim, queryDim], .xavierNormal(fanIn: contextDim, fanOut: queryDim))
  }
  public var weights: [Weight] { [wq, wk, wv] }
  public var description: String { "CrossAttention(\(queryDim) <- \(contextDim), heads: \(heads))" }

  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID {
    let g = c.graph
    let (query, context) = (inputs[0], inputs[1])
    let out = try causalAttention(
      try g.matmul(query, g.parameter(wq.parameter)), try g.matmul(context, g.parameter(wk.parameter)),
      try g.matmul(context, g.parameter(wv.parameter)), heads: heads, dropout: dropout, c)
    return try c.zeroPadding(out)
  }
  /// The query's last position attends to the whole context.
  public var lastPositionInputs: [Bool]? { [true, false] }

  public static func node(_ query: LayerNode, _ context: LayerNode, heads: Int = 1, dropout: Float = 0.1) throws -> LayerNode {
    for (i, x) in [query, context].enumerated() {
      try requireFeatures(x, "crossatt", argument: i)
      guard x.level == .sequence else {
        throw LayerError.level("crossatt", argument: i, expected: "a sequence-level", got: x.level, help: "lift it with seq(x)")
      }
    }
    guard heads > 0, query.features % heads == 0 else {
      throw LayerError(.argument, "crossatt: \(heads) heads do not divide \(query.features) features")
    }
    try requireRate(dropout, "crossatt")
    let layer = CrossAttention(queryDim: query.features, contextDim: context.features, heads: heads, dropout: dropout)
    return LayerNode(layer, inputs: [query, context], level: .sequence, features: query.features)
  }
}
