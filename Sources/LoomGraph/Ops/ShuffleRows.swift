import LoomTensor

/// Rows of `x [N, D]` permuted among the rows whose `mask [N]` is 1 (padding rows stay put):
/// the corrupted pairs of a self-supervised discriminator, (a_k, b_{π(k)}) with one random
/// permutation π of a batch's valid positions (MIN §4.3; fixed points, probability ≈ 1/N, are
/// not excluded). The permutation is drawn from the run's generator and kept (scratch) so that
/// backward routes each gradient row back to where it came from.
public struct ShuffleRows: Op {
  public init() {}
  public var name: String { "shuffle rows" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    guard s[0].rank == 2, s[1].count == s[0][0] else { throw ShapeError(name, s, "needs x [N, D] and mask [N]") }
    return s[0]
  }
  public func scratchCount(inputs: [Shape], output: Shape) -> Int { output[0] }

  public func forward(_ io: OpIO, _ run: RunState) {
    let (n, d) = (io.outputShape[0], io.outputShape[1])
    let mask = io.inputs[1]
    var valid: [Int] = []
    valid.reserveCapacity(n)
    for r in 0..<n where mask[r] > 0 { valid.append(r) }
    var source = valid
    var random = run.random
    for i in stride(from: source.count - 1, to: 0, by: -1) {  // Fisher–Yates
      source.swapAt(i, random.nextInt(below: i + 1))
    }
    run.random = random
    // scratch[r] = the row that output row r copies (as Float: exact for N < 2^24).
    for r in 0..<n { io.scratch[r] = Float(r) }
    for (k, r) in valid.enumerated() { io.scratch[r] = Float(source[k]) }
    for r in 0..<n { (io.output + r * d).update(from: io.inputs[0] + Int(io.scratch[r]) * d, count: d) }
  }

  public func backward(_ io: OpIO, _ run: RunState) {
    guard let dx = io.inputGrads[0] else { return }
    let (n, d) = (io.outputShape[0], io.outputShape[1])
    for r in 0..<n { Kernels.accumulate(io.outputGrad + r * d, into: dx + Int(io.scratch[r]) * d, d) }
  }
}
