import LoomTensor

/// Inverted dropout: in training each value is kept with probability 1 − p and scaled by
/// 1/(1 − p), so evaluation is the identity. The mask (0 or 1/(1 − p)) is scratch for backward.
public struct Dropout: Op {
  public var p: Float
  public init(_ p: Float) { self.p = p }
  public var name: String { "dropout" }
  public var detail: String { "p=\(p)" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    guard p >= 0, p < 1 else { throw ShapeError(name, s, "rate must be in [0, 1), got \(p)") }
    return s[0]
  }
  public func scratchCount(inputs: [Shape], output: Shape) -> Int { output.count }

  public func forward(_ io: OpIO, _ run: RunState) {
    let n = io.outputShape.count
    let (x, y, mask) = (io.inputs[0], io.output, io.scratch)
    guard run.training, p > 0 else {
      mask.update(repeating: 1, count: n)
      y.update(from: x, count: n)
      return
    }
    let scale = 1 / (1 - p)
    var random = run.random
    for i in 0..<n { mask[i] = random.nextUniform() < p ? 0 : scale }
    run.random = random
    for i in 0..<n { y[i] = x[i] * mask[i] }
  }

  public func backward(_ io: OpIO, _ run: RunState) {
    guard let dx = io.inputGrads[0] else { return }
    Kernels.accumulateProduct(io.outputGrad, io.scratch, into: dx, io.outputShape.count)
  }
}
