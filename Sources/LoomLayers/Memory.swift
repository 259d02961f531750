import LoomGraph
import LoomTensor

/// `memory(a, b, c, ..., size: 20, hidden: 50, dropout: 0.3)`: MFN4Rec's differentiated
/// attention and gated multi-modal memory (§3.2–3.3, Table 1), over sequence-level states.
///
///   h_t = [a_t, b_t, c_t, ...],  h_[t−1,t] = [h_{t−1}, h_t]  (h_0 = 0)
///   a_[t−1,t] = softmax(FC_a(h_[t−1,t])),  ĥ = a ⊙ h_[t−1,t]                    (eqs. 4–5)
///   û_t = FC_u(ĥ),  g1 = σ(FC_g1(ĥ)),  g2 = σ(FC_g2(ĥ))                          (eqs. 6–8)
///   u_t = g1 ⊙ u_{t−1} + g2 ⊙ tanh(û_t),  u_0 = 0                                  (eq. 9)
///
/// FC_a is one linear layer 2S → 2S with dropout on its input; FC_u, FC_g1, FC_g2 are
/// 2S → hidden → size with ReLU and dropout after the hidden layer (Table 1; torch-ref F2–F7).
/// Returns u_t at every position, `[batch, maxlen, size]`.
public final class Memory: Layer {
  public var callName: String { "memory" }
  public let stateDim, size, hidden: Int
  public let dropout: Float
  let wa, ba: Weight
  let fc: [[Weight]]  // u, g1, g2: w1, b1, w2, b2

  init(stateDim: Int, size: Int, hidden: Int, dropout: Float) {
    (self.stateDim, self.size, self.hidden, self.dropout) = (stateDim, size, hidden, dropout)
    let pair = 2 * stateDim
    wa = Weight("fc_a_w", [pair, pair], .xavierNormal(fanIn: pair, fanOut: pair))
    ba = Weight("fc_a_b", [pair], .zeros)
    fc = ["fc_u", "fc_g1", "fc_g2"].map { n in
      [
        Weight("\(n)_w1", [pair, hidden], .xavierNormal(fanIn: pair, fanOut: hidden)), Weight("\(n)_b1", [hidden], .zeros),
        Weight("\(n)_w2", [hidden, size], .xavierNormal(fanIn: hidden, fanOut: size)), Weight("\(n)_b2", [size], .zeros),
      ]
    }
  }
  public var weights: [Weight] { [wa, ba] + fc.flatMap { $0 } }
  public var description: String { "Memory(\(stateDim) x 2 => \(size), hidden: \(hidden))" }

  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID {
    let g = c.graph
    let h = try g.concat(inputs)
    let pair = try g.concat([try g.apply(ShiftTime(steps: 1), h), h])
    let attention = try g.apply(
      Softmax(),
      try g.linear(
        c.training ? try g.dropout(pair, dropout) : pair,
        g.parameter(wa.parameter), g.parameter(ba.parameter)))
    let attended = try g.mul(attention, pair)
    func twoLayer(_ w: [Weight]) throws -> NodeID {
      let z = try g.linearReLUDropout(
        attended, g.parameter(w[0].parameter), g.parameter(w[1].parameter), c.training ? dropout : 0)
      return try g.linear(z, g.parameter(w[2].parameter), g.parameter(w[3].parameter))
    }
    let candidate = try g.tanh(try twoLayer(fc[0]))
    let keep = try g.sigmoid(try twoLayer(fc[1]))
    let write = try g.sigmoid(try twoLayer(fc[2]))
    return try g.apply(MemoryScan(), keep, write, candidate, c.sequenceMask)
  }

  public static func node(_ states: [LayerNode], size: Int = 20, hidden: Int = 50, dropout: Float = 0.3) throws -> LayerNode {
    guard !states.isEmpty else { throw LayerError(.argument, "memory needs at least one sequence of states") }
    for (i, x) in states.enumerated() {
      try requireFeatures(x, "memory", argument: i)
      guard x.level == .sequence else {
        throw LayerError.level(
          "memory", argument: i, expected: "a sequence-level", got: x.level,
          help: "pass per-step states, e.g. gru(seq(x), 20)")
      }
    }
    try requireSize(size, "memory", "size")
    try requireSize(hidden, "memory", "hidden")
    let pair = 2 * states.reduce(0) { $0 + $1.features }
    try requireTable(pair, max(pair, hidden), "memory")
    try requireRate(dropout, "memory")
    let layer = Memory(stateDim: states.reduce(0) { $0 + $1.features }, size: size, hidden: hidden, dropout: dropout)
    return LayerNode(layer, inputs: states, level: .sequence, features: size)
  }
}
