import LoomTensor

/// relu followed by inverted dropout, fused, optionally after a bias add:
/// y = max(x + b, 0) · keep, with the keep factors `Dropout` would draw (`DropoutDraw`), so the
/// result is bit for bit that of the separate ops (bias add, relu, dropout). Inputs x [..., D]
/// and, optionally, b [D]. With p = 0 (or outside training) it is relu(x + b).
///
/// Why fused: in selfatt's feed-forward block (and memory's two-layer nets) the chain runs over
/// the widest activations of a model, `[batch, L, 512]` in MIN, and every op of it is
/// memory-bound. Apart they read and write those values seven times forward and backward and
/// keep the sum, the relu output, the dropout output and the mask alive; fused, forward reads x
/// once and writes y, and backward needs only y: y > 0 exactly where x + b > 0 and the value
/// was kept, and there dy/dx = 1/(1 − p). No mask is stored.
public struct ReLUDropout: Op {
  public var p: Float
  public init(_ p: Float) { self.p = p }
  public var name: String { "relu+dropout" }
  public var detail: String { "p=\(p)" }

  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    if s.count == 2 { try BiasAdd.checkBias(name, s) }
    return try DropoutDraw.outputShape(name, p, s)
  }

  public func forward(_ io: OpIO, _ run: RunState) {
    let n = io.outputShape.count
    let d = io.outputShape.last
    let (x, y) = (io.inputs[0], io.output)
    let bias = io.inputs.count > 1 ? io.inputs[1] : nil
    guard run.training, p > 0 else {
      Parallel.forEachRange(n, granule: 16, worthSplitting: n >= Parallel.minimumValues) { part in
        guard let bias else {
          for i in part { y[i] = max(x[i], 0) }
          return
        }
        Self.forEachRowSegment(part, d) { start, count, column in
          let (xs, ys, bs) = (x + start, y + start, bias + column)
          for k in 0..<count { ys[k] = max(xs[k] + bs[k], 0) }
        }
      }
      return
    }
    let draw = DropoutDraw(p)
    draw.forEachPart(n, &run.random) { part, random in
      draw.forEachBlock(part, &random) { start, count, keep in
        guard let bias else {
          let (xb, yb) = (x + start, y + start)
          for k in 0..<count { yb[k] = max(xb[k], 0) * keep[k] }
          return
        }
        Self.forEachRowSegment(start..<(start + count), d) { segment, length, column in
          let (xs, ys, bs, ks) = (x + segment, y + segment, bias + column, keep + (segment - start))
          for k in 0..<length { ys[k] = max(xs[k] + bs[k], 0) * ks[k] }
        }
      }
    }
  }

  /// Splits `range` of a row-major `[rows, d]` buffer at row ends: `body(start, count, column)`
  /// for pieces that each lie in one row, `column` being the first one's column, so the loop
  /// inside reads the bias from `column` on without a modulo per value (and vectorises).
  @inline(__always)
  static func forEachRowSegment(_ range: Range<Int>, _ d: Int, _ body: (Int, Int, Int) -> Void) {
    var start = range.lowerBound
    var column = start % d
    while start < range.upperBound {
      let count = min(range.upperBound - start, d - column)
      body(start, count, column)
      start += count
      column = 0
    }
  }

  /// dx is whole; the bias's gradient is a sum over rows and keeps adding.
  public func overwritesGradient(of i: Int, inputs: [Shape]) -> Bool { i == 0 }

  /// dx = dy · (y > 0 ? 1/(1 − p) : 0), and db += Σ_rows of the same products, rows in order.
  /// The two are independent (db recomputes each product from dy and y rather than read dx):
  /// side by side on two threads, and each value of db is the sum a separate bias add would
  /// have made of the same products in the same order.
  public func backward(_ io: OpIO, _ run: RunState) {
    let n = io.outputShape.count
    let d = io.outputShape.last
    let (y, dy) = (io.output, io.outputGrad)
    // Where y > 0 the value was kept and scaled by 1/(1 − p) (by 1 outside training).
    let scale: Float = run.training && p > 0 ? 1 / (1 - p) : 1
    let overwrite = io.overwrites[0]
    let dx = io.inputGrads[0]
    let db = io.inputGrads.count > 1 ? io.inputGrads[1] : nil
    // The select picks a factor, not a value that needs dy: with dy read on one side only the
    // loop compiled to branches; this form vectorises.
    func inputGradient(_ part: Range<Int>) {
      guard let dx else { return }
      if overwrite {
        for i in part { dx[i] = dy[i] * (y[i] > 0 ? scale : 0) }
      } else {
        for i in part { dx[i] += dy[i] * (y[i] > 0 ? scale : 0) }
      }
    }
    guard let db else {
      Parallel.forEachRange(n, granule: 16, worthSplitting: n >= Parallel.minimumValues, inputGradient)
      return
    }
    Parallel.sideBySide(
      worthSplitting: n >= Parallel.minimumValues,
      { inputGradient(0..<n) },
      {
        for r in 0..<(n / d) {
          let (yr, gr) = (y + r * d, dy + r * d)
          for j in 0..<d { db[j] += gr[j] * (yr[j] > 0 ? scale : 0) }
        }
      })
  }
}
