import LoomGraph
import LoomTensor

/// `selfatt(x, layers: 1, heads: 1, maxlen: 50, ffn: 512, dropout: 0.1)`: SASRec-style causal
/// self-attention blocks (Kang & McAuley 2018; MIN §4.2.1, E^s = Att(E W^q, E W^k, E W^v)).
///
/// x ← dropout(x + P) ⊙ m with learned positions P `[maxlen, d]` and m the padding mask; then
/// per block (the reference layout, torch-ref M9):
///   q = LN₁(x);  x = q + Att(q W^q, x W^k, x W^v);  x = LN₂(x)
///   x = (x + dropout(dropout(relu(x W₁ + b₁)) W₂ + b₂)) ⊙ m;  x = LN₃(x) ⊙ m
/// Positions count back from the most recent item (P row 0 is the last position), which for a
/// full-length left-padded array is SASRec's numbering read backwards, and makes the output
/// independent of how much padding precedes a sequence.
/// Padding positions neither attend (queries masked out) nor are attended (key mask). Shapes:
/// `[batch, maxlen, d] → [batch, maxlen, d]`; heads must divide d.
public final class SelfAttention: Layer {
  public var callName: String { "selfatt" }
  public let dim, layers, heads, maxlen, ffn: Int
  public let dropout: Float
  let positions: Weight
  let blocks: [[Weight]]

  init(dim: Int, layers: Int, heads: Int, maxlen: Int, ffn: Int, dropout: Float) {
    (self.dim, self.layers, self.heads, self.maxlen, self.ffn, self.dropout) = (dim, layers, heads, maxlen, ffn, dropout)
    positions = Weight("positions", [maxlen, dim], .normal(std: 0.02))
    blocks = (0..<layers).map { i in
      let x = { (n: Int, m: Int) in Initializer.xavierNormal(fanIn: n, fanOut: m) }
      return [
        Weight("w_q#\(i)", [dim, dim], x(dim, dim)), Weight("w_k#\(i)", [dim, dim], x(dim, dim)),
        Weight("w_v#\(i)", [dim, dim], x(dim, dim)),
        Weight("ln1_gain#\(i)", [dim], .ones), Weight("ln1_bias#\(i)", [dim], .zeros),
        Weight("ln2_gain#\(i)", [dim], .ones), Weight("ln2_bias#\(i)", [dim], .zeros),
        Weight("ffn1_w#\(i)", [dim, ffn], x(dim, ffn)), Weight("ffn1_b#\(i)", [ffn], .zeros),
        Weight("ffn2_w#\(i)", [ffn, dim], x(ffn, dim)), Weight("ffn2_b#\(i)", [dim], .zeros),
        Weight("ln3_gain#\(i)", [dim], .ones), Weight("ln3_bias#\(i)", [dim], .zeros),
      ]
    }
  }
  public var weights: [Weight] { [positions] + blocks.flatMap { $0 } }
  public var anchorsPositionsAtRowEnd: Bool { true }
  public var description: String { "SelfAttention(\(dim), heads: \(heads), layers: \(layers))" }

  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID { try lower(inputs[0], c, lastOnly: false) }

  /// The last block's queries, feed-forward and norms run at the last position only; its keys
  /// and values, and every earlier block, still need all positions.
  public var lastPositionInputs: [Bool]? { [false] }
  public func lowerLast(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID { try lower(inputs[0], c, lastOnly: true) }

  func lower(_ input: NodeID, _ c: Lowering, lastOnly: Bool) throws -> NodeID {
    let g = c.graph
    guard c.maxlen <= maxlen else {
      throw LayerError(
        .shape, "selfatt has \(maxlen) positions but sequences are \(c.maxlen) long",
        help: "build it with selfatt(x, maxlen: \(c.maxlen))")
    }
    let fromEnd = g.constant(indices: (0..<c.maxlen).map { Int32(c.maxlen - 1 - $0) }, [c.maxlen])
    let pos = try g.gather(g.parameter(positions.parameter), fromEnd)
    var x = try g.add(input, pos)
    if c.training { x = try g.dropout(x, dropout) }
    x = try c.zeroPadding(x)
    for (i, w) in blocks.enumerated() {
      let p = w.map { g.parameter($0.parameter) }
      let context = x
      if lastOnly && i == blocks.count - 1 { x = try c.lastPosition(x) }
      let q = try g.layerNorm(x, gain: p[3], bias: p[4])
      let a = try causalAttention(
        try g.matmul(q, p[0]), try g.matmul(context, p[1]), try g.matmul(context, p[2]),
        heads: heads, dropout: dropout, c)
      x = try g.layerNorm(try g.add(q, a), gain: p[5], bias: p[6])
      var h = try g.linearReLUDropout(x, p[7], p[8], c.training ? dropout : 0)
      h = try g.linear(h, p[9], p[10])
      if c.training { h = try g.dropout(h, dropout) }
      x = try c.zeroPadding(try g.add(x, h))
      x = try c.zeroPadding(try g.layerNorm(x, gain: p[11], bias: p[12]))
    }
    return x
  }

  public static func node(
    _ x: LayerNode, layers: Int = 1, heads: Int = 1, maxlen: Int = 50, ffn: Int = 512,
    dropout: Float = 0.1
  ) throws -> LayerNode {
    try requireFeatures(x, "selfatt", argument: 0)
    guard x.level == .sequence else {
      throw LayerError.level("selfatt", argument: 0, expected: "a sequence-level", got: x.level, help: "lift it with seq(x)")
    }
    guard layers > 0, layers <= 64 else { throw LayerError(.argument, "selfatt: layers must be between 1 and 64, got \(layers)") }
    try requireSize(maxlen, "selfatt", "maxlen")
    try requireSize(ffn, "selfatt", "ffn")
    try requireTable(x.features, ffn, "selfatt")
    guard heads > 0, x.features % heads == 0 else {
      throw LayerError(
        .argument, "selfatt: \(heads) heads do not divide \(x.features) features",
        help: "choose heads that divide \(x.features)")
    }
    try requireRate(dropout, "selfatt")
    let layer = SelfAttention(dim: x.features, layers: layers, heads: heads, maxlen: maxlen, ffn: ffn, dropout: dropout)
    return LayerNode(layer, inputs: [x], level: .sequence, features: x.features)
  }
}
