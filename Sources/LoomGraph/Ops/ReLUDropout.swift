import LoomTensor

/// relu followed by inverted dropout, fused: y = max(x, 0) · keep, with the keep factors
/// `Dropout` would draw (`DropoutDraw`), so the result is bit for bit that of the two ops.
///
/// Why fused: in selfatt's feed-forward block (and memory's two-layer nets) the pair runs over
/// the widest activations of a model, `[batch, L, 512]` in MIN, and both ops are memory-bound.
/// Apart they read and write those values five times forward and backward and keep the relu
/// output, the dropout output and the mask alive; fused, forward reads x once and writes y,
/// and backward needs only y: y > 0 exactly where x > 0 and the value was kept, and there
/// dy/dx = 1/(1 − p). No mask is stored.
public struct ReLUDropout: Op {
  public var p: Float
  public init(_ p: Float) { self.p = p }
  public var name: String { "relu+dropout" }
  public var detail: String { "p=\(p)" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape { try DropoutDraw.outputShape(name, p, s) }

  public func forward(_ io: OpIO, _ run: RunState) {
    let n = io.outputShape.count
    let (x, y) = (io.inputs[0], io.output)
    guard run.training, p > 0 else {
      Parallel.forEachRange(n, granule: 16, worthSplitting: n >= Parallel.minimumValues) { part in
        for i in part { y[i] = max(x[i], 0) }
      }
      return
    }
    let draw = DropoutDraw(p)
    draw.forEachPart(n, &run.random) { part, random in
      draw.forEach(part, &random) { i, keep in y[i] = max(x[i], 0) * keep }
    }
  }

  public func overwritesGradient(of i: Int, inputs: [Shape]) -> Bool { true }
  public func backward(_ io: OpIO, _ run: RunState) {
    guard let dx = io.inputGrads[0] else { return }
    let overwrite = io.overwrites[0]
    let n = io.outputShape.count
    let (y, dy) = (io.output, io.outputGrad)
    // Where y > 0 the value was kept and scaled by 1/(1 − p) (by 1 outside training).
    let scale: Float = run.training ? 1 / (1 - p) : 1
    // The select picks a factor, not a value that needs dy: with dy read on one side only the
    // loop compiled to branches; this form vectorises.
    Parallel.forEachRange(n, granule: 16, worthSplitting: n >= Parallel.minimumValues) { part in
      if overwrite {
        for i in part { dx[i] = dy[i] * (y[i] > 0 ? scale : 0) }
      } else {
        for i in part { dx[i] += dy[i] * (y[i] > 0 ? scale : 0) }
      }
    }
  }
}
