import LoomGraph
import LoomTensor

/// `encdec(src, target, hidden: dim, weight: 0.1)`: MIN's item-wise interactive layer (§4.1).
///
/// An MLP encoder and decoder translate an item-level `src` into `target`'s space,
///   ê = f_de(f_en(e_src)),  f_en(x) = relu(x W₁ + b₁),  f_de(z) = z W₂ + b₂,
/// and register the reconstruction term weight · ‖e_target − ê‖² (L_i, averaged over the
/// sequence positions of a batch, torch-ref M8) as an auxiliary loss. Returns ê,
/// `[items, target features]`. MIN's prose translates one modality into the other
/// (encdec(vis, txt)); its printed formula reconstructs each modality (encdec(vis, vis)).
public final class EncoderDecoder: Layer {
  public var callName: String { "encdec" }
  public let input, hidden, output: Int
  let w1, b1, w2, b2: Weight

  init(input: Int, hidden: Int, output: Int) {
    (self.input, self.hidden, self.output) = (input, hidden, output)
    w1 = Weight("encoder_w", [input, hidden], .xavierNormal(fanIn: input, fanOut: hidden))
    b1 = Weight("encoder_b", [hidden], .zeros)
    w2 = Weight("decoder_w", [hidden, output], .xavierNormal(fanIn: hidden, fanOut: output))
    b2 = Weight("decoder_b", [output], .zeros)
  }
  public var weights: [Weight] { [w1, b1, w2, b2] }
  public var description: String { "EncoderDecoder(\(input) => \(hidden) => \(output))" }

  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID {
    let g = c.graph
    let z = try g.linearReLUDropout(inputs[0], g.parameter(w1.parameter), g.parameter(b1.parameter), 0)
    return try g.linear(z, g.parameter(w2.parameter), g.parameter(b2.parameter))
  }

  public static func node(_ src: LayerNode, _ target: LayerNode, hidden: Int? = nil, weight: Float = 0.1) throws -> LayerNode {
    for (i, x) in [src, target].enumerated() {
      try requireFeatures(x, "encdec", argument: i)
      guard x.level == .item else {
        throw LayerError.level(
          "encdec", argument: i, expected: "an item-level", got: x.level,
          help: x.level == .sequence ? "apply encdec to item representations before seq(...)" : nil)
      }
    }
    guard weight >= 0, weight.isFinite else { throw LayerError(.argument, "encdec: weight must be ≥ 0, got \(weight)") }
    let h = hidden ?? target.features
    try requireSize(h, "encdec", "the hidden size")
    let translation = LayerNode(
      EncoderDecoder(input: src.features, hidden: h, output: target.features),
      inputs: [src], level: .item, features: target.features)
    let loss = LayerNode(Reconstruction(), inputs: [translation, target], level: .loss, features: 1)
    translation.registerLoss(loss, weight: weight)
    return translation
  }
}

/// ‖target − translation‖² per item, weighted by the item's occurrences in the batch.
public final class Reconstruction: Layer {
  public var callName: String { "reconstruction" }
  public var weights: [Weight] { [] }
  public var description: String { "Reconstruction" }
  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID {
    try c.graph.apply(SquaredError(), inputs[0], inputs[1], c.itemWeights)
  }
}
