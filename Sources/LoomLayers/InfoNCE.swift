import LoomGraph
import LoomTensor

/// `infonce(a, b, weight: 0.1)`: MIN's self-supervised term L_ss (§4.3), a discriminator
/// trained with binary cross-entropy to tell each position's true pair (a_k, b_k) from a
/// corrupted one (a_k, b_{π(k)}), π a random permutation of the batch's real positions.
///
/// The discriminator is bilinear, f(x, y) = xᵀ W y (the paper leaves f open; S³-Rec's choice,
/// torch-ref M17), one W per call:
///   L_ss = mean_k [ −log σ(f(a_k, b_k)) − log σ(−f(a_k, b_{π(k)})) ]
/// Registered with its weight as an auxiliary loss of the model; returns the loss term.
///
/// W ~ N(0, 1/√(D_a·D_b)): a and b come out of layer norms (unit variance per feature), so
/// f(a, b) starts with standard deviation 1 and the discriminator undecided. Xavier's
/// √(2/(D_a+D_b)) gives f a standard deviation of about √D (8 at D = 64): the term starts
/// saturated (L_ss ≈ 2.4–3.7 against 2 ln 2), and its gradients, weighted only by β = 0.1,
/// outweighed the recommendation loss's and held MIN back for many epochs (layers.md,
/// "Choices where the papers are open").
public final class InfoNCE: Layer {
  public var callName: String { "infonce" }
  public let left, right: Int
  let w: Weight
  init(_ left: Int, _ right: Int) {
    (self.left, self.right) = (left, right)
    w = Weight("bilinear", [left, right], .normal(std: 1 / Float(left * right).squareRoot()))
  }
  public var weights: [Weight] { [w] }
  public var description: String { "InfoNCE(\(left) x \(right), bilinear)" }

  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID {
    let g = c.graph
    let rows = c.batch * c.maxlen
    let a = try g.reshape(inputs[0], [rows, left])
    let b = try g.reshape(inputs[1], [rows, right])
    let mask = try g.reshape(c.sequenceMask, [rows])
    let aw = try g.matmul(a, g.parameter(w.parameter))
    let positive = try g.sumLast(try g.mul(aw, b))
    let negative = try g.sumLast(try g.mul(aw, try g.apply(ShuffleRows(), b, mask)))
    let ones = g.constant(Tensor(shape: [rows], repeating: 1))
    let zeros = g.constant(Tensor(zeros: [rows]))
    return try g.add(
      try g.apply(BinaryCrossEntropy(), positive, ones, mask),
      try g.apply(BinaryCrossEntropy(), negative, zeros, mask))
  }

  public static func node(_ a: LayerNode, _ b: LayerNode, weight: Float = 0.1) throws -> LayerNode {
    for (i, x) in [a, b].enumerated() {
      try requireFeatures(x, "infonce", argument: i)
      guard x.level == .sequence else {
        throw LayerError.level("infonce", argument: i, expected: "a sequence-level", got: x.level, help: "lift it with seq(x)")
      }
    }
    guard weight >= 0, weight.isFinite else { throw LayerError(.argument, "infonce: weight must be ≥ 0, got \(weight)") }
    let loss = LayerNode(InfoNCE(a.features, b.features), inputs: [a, b], level: .loss, features: 1)
    loss.registerLoss(loss, weight: weight)
    return loss
  }
}
