import LoomTensor

/// Binary cross-entropy on logits, weighted: L = Σ w (softplus(x) − x·y) / Σ w.
///
/// softplus(x) − x·y = −[y log σ(x) + (1 − y) log(1 − σ(x))], computed as
/// max(x, 0) − x·y + log(1 + e^{−|x|}) so it stays finite for any logit. Inputs: logits,
/// labels in [0, 1], weights (0 masks a position out; padding positions carry 0).
/// dL/dx = w (σ(x) − y) / Σ w.
public struct BinaryCrossEntropy: Op {
  public init() {}
  public var name: String { "bce with logits" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    guard s[1].count == s[0].count, s[2].count == s[0].count else {
      throw ShapeError(name, s, "logits, labels and weights need the same number of values")
    }
    return [1]
  }
  func totalWeight(_ io: OpIO) -> Float {
    var w: Float = 0
    for i in 0..<io.inputShapes[0].count { w += io.inputs[2][i] }
    return max(w, 1e-12)
  }
  public func forward(_ io: OpIO, _ run: RunState) {
    let (x, y, w) = (io.inputs[0], io.inputs[1], io.inputs[2])
    var total = 0.0
    for i in 0..<io.inputShapes[0].count where w[i] != 0 {
      total += Double(w[i] * (Kernels.softplus(x[i]) - x[i] * y[i]))
    }
    io.output[0] = Float(total) / totalWeight(io)
  }
  public func backward(_ io: OpIO, _ run: RunState) {
    guard let dx = io.inputGrads[0] else { return }
    let (x, y, w) = (io.inputs[0], io.inputs[1], io.inputs[2])
    let g = io.outputGrad[0] / totalWeight(io)
    for i in 0..<io.inputShapes[0].count { dx[i] += g * w[i] * (Kernels.sigmoid(x[i]) - y[i]) }
  }
}
