import LoomGraph
import LoomTensor

/// Causal multi-head scaled dot-product attention over a batch of sequences (MIN §3.3):
///
///   Att(Q, K, V) = softmax(Q Kᵀ / √d_h) V,  per head, d_h = d / heads
///
/// q is `[B, Lq, d]`, k and v `[B, L, d]`; the Lq queries are the last Lq positions (all of
/// them, or only the last in evaluation's user pass), and query t attends to keys j ≤ t that
/// are real items (the batch's `sequence mask`); a query with no visible key gets zeros. Heads
/// are split as `[B, L, h, d_h] → [B·h, L, d_h]` so each head is one batched sgemm. Dropout acts
/// on the attention weights in training.
func causalAttention(_ q: NodeID, _ k: NodeID, _ v: NodeID, heads: Int, dropout: Float, _ c: Lowering) throws -> NodeID {
  let g = c.graph
  let shape = g.shape(q)
  let (b, l, d) = (shape[0], shape[1], shape[2])
  let dh = d / heads
  func split(_ x: NodeID) throws -> NodeID {
    guard heads > 1 else { return x }
    let steps = g.shape(x)[1]
    let four = try g.reshape(x, [b, steps, heads, dh])
    return try g.reshape(try g.apply(SwapAxes12(), four), [b * heads, steps, dh])
  }
  let scores = try g.matmul(try split(q), try split(k), transposeB: true, scale: 1 / Float(dh).squareRoot())
  var weights = try g.apply(Softmax(causal: true, heads: heads), scores, c.sequenceMask)
  c.attentionMaps.append((layer: g.scope, weights: weights, heads: heads))
  if c.training { weights = try g.dropout(weights, dropout) }
  let out = try g.matmul(weights, try split(v))
  guard heads > 1 else { return out }
  let four = try g.reshape(out, [b, heads, l, dh])
  return try g.reshape(try g.apply(SwapAxes12(), four), [b, l, d])
}

extension Lowering {
  /// Masks padding positions to zero: x ⊙ m row by row (x holds all positions or, in
  /// evaluation's user pass, only the last).
  func zeroPadding(_ x: NodeID) throws -> NodeID {
    let mask = graph.shape(x)[1] == maxlen ? sequenceMask : try lastPositionMask
    return try graph.scaleRows(x, mask)
  }
}
