import LoomTensor

/// Softmax over the last axis, optionally causal and with a key mask: the masked softmax of
/// scaled dot-product attention (MIN §3.3, softmax(QKᵀ/√d)).
///
/// Input `[N, Lq, Lk]` scores (N = batch × heads, batch-major), optional mask `[batch, Lk]` of
/// 1 (real key) / 0 (padding key). Causal: query i sees keys j ≤ i + (Lk − Lq). A row with no
/// visible key (a padding query at the front of a left-padded sequence) outputs zeros, not NaN.
/// Backward: dx = y ⊙ (dy − Σ dy ⊙ y).
public struct Softmax: Op {
  public var causal: Bool
  public var heads: Int
  public init(causal: Bool = false, heads: Int = 1) {
    self.causal = causal
    self.heads = heads
  }
  public var name: String { causal ? "causal softmax" : "softmax" }
  public var detail: String { heads > 1 ? "heads=\(heads)" : "" }

  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    let x = s[0]
    if causal, x.rank < 2 { throw ShapeError(name, s, "causal softmax needs [..., Lq, Lk] scores") }
    if s.count == 2 {
      let mask = s[1]
      guard x.rank == 3, mask.rank == 2, mask[1] == x[2], mask[0] * heads == x[0] else {
        throw ShapeError(name, s, "a key mask [batch, Lk] needs scores [batch·heads, Lq, Lk]")
      }
    }
    return x
  }

  public func forward(_ io: OpIO, _ run: RunState) {
    let shape = io.outputShape
    let lk = shape.last
    let rows = shape.rows
    let lq = shape.rank >= 2 ? shape[-2] : 1
    let mask: UnsafeMutablePointer<Float>? = io.inputs.count > 1 ? io.inputs[1] : nil
    let (x, y) = (io.inputs[0], io.output)
    Parallel.forEachRows(rows, of: lk) { part in
      for r in part {
        let (xr, yr) = (x + r * lk, y + r * lk)
        let visible = causal ? max(0, min(lk, r % lq + 1 + (lk - lq))) : lk
        let m = mask.map { $0 + (r / lq / heads) * lk }
        var maxValue = -Float.infinity
        if let m {
          for j in 0..<visible where m[j] > 0 { maxValue = max(maxValue, xr[j]) }
        } else {
          maxValue = Kernels.maximum(xr, visible)
        }
        if maxValue == -.infinity {
          yr.update(repeating: 0, count: lk)
          continue
        }
        // The exponentials in one loop (it vectorises), their sum in another, in the same order
        // as a single loop would add them: the same values, without a scalar exp per key.
        if let m {
          for j in 0..<visible { yr[j] = m[j] > 0 ? Kernels.exp(xr[j] - maxValue) : 0 }
        } else {
          for j in 0..<visible { yr[j] = Kernels.exp(xr[j] - maxValue) }
        }
        var sum: Float = 0
        for j in 0..<visible { sum += yr[j] }
        let inv = 1 / sum
        for j in 0..<visible { yr[j] *= inv }
        if visible < lk { (yr + visible).update(repeating: 0, count: lk - visible) }
      }
    }
  }

  public func backward(_ io: OpIO, _ run: RunState) {
    guard let dx = io.inputGrads[0] else { return }
    let lk = io.outputShape.last
    let rows = io.outputShape.rows
    let (y, dy) = (io.output, io.outputGrad)
    Parallel.forEachRows(rows, of: lk) { part in
      for r in part {
        let (yr, gr, dr) = (y + r * lk, dy + r * lk, dx + r * lk)
        var dot: Float = 0
        for j in 0..<lk { dot += yr[j] * gr[j] }
        for j in 0..<lk { dr[j] += yr[j] * (gr[j] - dot) }
      }
    }
  }
}
