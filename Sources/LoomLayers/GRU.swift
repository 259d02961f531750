import LoomGraph
import LoomTensor

/// `gru(x, hidden)`: a gated recurrent unit (Cho et al. 2014), gate order r, z, n:
///
///   r_t = σ(x_t W_ir + b_ir + h_{t−1} W_hr + b_hr)
///   z_t = σ(x_t W_iz + b_iz + h_{t−1} W_hz + b_hz)
///   n_t = tanh(x_t W_in + b_in + r_t ⊙ (h_{t−1} W_hn + b_hn))
///   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1},   h_0 = 0
///
/// The input projections of all steps are one matrix product `[.., 3H]`; the recurrence is the
/// fused `GRUScan`. Over a token-level value (an item's words, right-padded) it returns the
/// item-level last state, which respects each item's true word count because padding steps
/// carry the state (MIN §4.1: "use the final hidden state vector"). Over a sequence-level value
/// (left-padded) it returns every step's state `[batch, maxlen, H]` (MFN4Rec eqs. 1–3).
/// Weights are packed `[D, 3H]` and `[H, 3H]`, initialised U(±1/√H) as PyTorch does — except
/// over a learned embedding (`gru(seq(embed(items(data), D)), H)`, or an item's embedded words),
/// where the input weights are U(±1/(√D·0.02)) and the biases zero: each gate's input term then
/// starts with standard deviation 1/√3, and no constant sets the gates. With PyTorch's bounds an
/// embedding row of N(0, 0.02) entries reaches the gates at std ≈ 0.01 against biases of std ≈
/// 0.1, so every user's state starts as nearly the same constant vector: GRU4Rec under fit's
/// defaults stayed at popularity's level (test NDCG@10 0.050 against Pop's 0.047 on
/// `synthetic(users: 800, items: 1200)`, 15 epochs; 0.024 against 0.023 on amazon-scientific-mm),
/// and reaches 0.149 with this. Either change alone did not help (0.050, 0.051). Hidasi et
/// al.'s GRU4Rec (2016, §3.1) feeds one-hot items, whose input rows are trained directly.
public final class GRU: Layer {
  public var callName: String { "gru" }
  public let input: Int
  public let hidden: Int
  public let overWords: Bool
  let wi, bi, wh, bh: Weight

  init(_ input: Int, _ hidden: Int, overWords: Bool, inputScale: Float? = nil) {
    self.input = input
    self.hidden = hidden
    self.overWords = overWords
    let bound = 1 / Float(hidden).squareRoot()
    let inputBound = inputScale.map { 1 / (Float(input).squareRoot() * $0) } ?? bound
    wi = Weight("w_ih", [input, 3 * hidden], .uniform(bound: inputBound))
    bi = Weight("b_ih", [3 * hidden], inputScale == nil ? .uniform(bound: bound) : .zeros)
    wh = Weight("w_hh", [hidden, 3 * hidden], .uniform(bound: bound))
    bh = Weight("b_hh", [3 * hidden], inputScale == nil ? .uniform(bound: bound) : .zeros)
  }
  public var weights: [Weight] { [wi, bi, wh, bh] }
  public var description: String { "GRU(\(input) => \(hidden))" }

  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID {
    let g = c.graph
    let projected = try inputProjection(inputs[0], g)
    let mask = overWords ? c.wordMask : c.sequenceMask
    let states = try g.apply(GRUScan(), projected, g.parameter(wh.parameter), g.parameter(bh.parameter), mask)
    guard overWords else { return states }
    let shape = g.shape(states)
    let last = try g.sliceTime(states, start: shape[1] - 1, length: 1)
    return try g.reshape(last, [shape[0], hidden])
  }

  /// x·W_ih + b_ih at every step. Where x is gathered rows of a table, padding positions zero
  /// (`seq(v)` of an item-level value, or embedded words), and the table has fewer rows than x
  /// has positions, the table is projected and then gathered: gather(T)·W + b = gather(T·W) + b
  /// row for row, padding rows giving b either way. MFN4Rec's visual GRU then projects 1,683
  /// rows of 1,000 features instead of 12,800 gathered ones (7.6× fewer multiply-adds, and no
  /// `[12800, 1000]` copy); MIN's text GRU projects its 5,000-word table instead of 26,928 word
  /// positions. Each
  /// projected value is the same dot product in the same order (OpenBLAS orders k by k alone),
  /// so evaluation scores keep their bits; in training W_ih's gradient sums over items instead
  /// of positions, a different order (`GatheredProjectionTests` bounds the difference).
  func inputProjection(_ x: NodeID, _ g: Graph) throws -> NodeID {
    let (w, b) = (g.parameter(wi.parameter), g.parameter(bi.parameter))
    if case .op(let op) = g[x].kind, let gather = op as? Gather, gather.paddingIndex == 0 {
      let (table, indices) = (g[x].inputs[0], g[x].inputs[1])
      if g.shape(table)[0] < g.shape(indices).count {
        return try g.biasAdd(g.gather(g.matmul(table, w), indices, paddingIndex: 0), b)
      }
    }
    return try g.linear(x, w, b)
  }

  public static func node(_ x: LayerNode, hidden: Int) throws -> LayerNode {
    try requireFeatures(x, "gru", argument: 0)
    try requireSize(hidden, "gru", "the hidden size", argument: 1)
    try requireTable(max(x.features, hidden), 3 * hidden, "gru")
    let embedded = x.layer is Embedding || (x.layer is SequenceLift && x.inputs.first?.layer is Embedding)
    let scale = embedded ? Embedding.scale : nil
    switch x.level {
    case .token:
      return LayerNode(GRU(x.features, hidden, overWords: true, inputScale: scale), inputs: [x], level: .item, features: hidden)
    case .sequence:
      return LayerNode(
        GRU(x.features, hidden, overWords: false, inputScale: scale), inputs: [x], level: .sequence, features: hidden)
    default:
      throw LayerError.level(
        "gru", argument: 0, expected: "a token- or sequence-level", got: x.level,
        help: "lift an item-level value with seq(x)")
    }
  }
}
