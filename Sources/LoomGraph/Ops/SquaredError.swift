import LoomTensor

/// Mean squared distance between rows: L = Σ_r w_r ‖a_r − b_r‖² / Σ_r w_r over `[..., D]` rows.
///
/// This is MIN's reconstruction term ‖e − ê‖² (§4.1, L_i) averaged over the items of a batch;
/// the optional row weights `[rows]` leave out padding rows. Without weights every row counts.
public struct SquaredError: Op {
  public init() {}
  public var name: String { "squared error" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    guard s[0] == s[1] else { throw ShapeError(name, s, "both sides need the same shape") }
    if s.count == 3, s[2].count != s[0].rows {
      throw ShapeError(name, s, "row weights need \(s[0].rows) values")
    }
    return [1]
  }
  func weight(_ io: OpIO, _ r: Int) -> Float { io.inputs.count == 3 ? io.inputs[2][r] : 1 }
  func totalWeight(_ io: OpIO) -> Float {
    let rows = io.inputShapes[0].rows
    var w: Float = 0
    for r in 0..<rows { w += weight(io, r) }
    return max(w, 1e-12)
  }
  public func forward(_ io: OpIO, _ run: RunState) {
    let d = io.inputShapes[0].last
    let rows = io.inputShapes[0].rows
    var total = 0.0
    for r in 0..<rows {
      let w = weight(io, r)
      if w == 0 { continue }
      let (a, b) = (io.inputs[0] + r * d, io.inputs[1] + r * d)
      var s: Float = 0
      for j in 0..<d {
        let e = a[j] - b[j]
        s += e * e
      }
      total += Double(w * s)
    }
    io.output[0] = Float(total) / totalWeight(io)
  }
  public func backward(_ io: OpIO, _ run: RunState) {
    let d = io.inputShapes[0].last
    let rows = io.inputShapes[0].rows
    let g = 2 * io.outputGrad[0] / totalWeight(io)
    for r in 0..<rows {
      let w = weight(io, r) * g
      if w == 0 { continue }
      let (a, b) = (io.inputs[0] + r * d, io.inputs[1] + r * d)
      if let da = io.inputGrads[0] {
        let p = da + r * d
        for j in 0..<d { p[j] += w * (a[j] - b[j]) }
      }
      if let db = io.inputGrads[1] {
        let p = db + r * d
        for j in 0..<d { p[j] -= w * (a[j] - b[j]) }
      }
    }
  }
}
