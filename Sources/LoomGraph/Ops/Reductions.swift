import LoomTensor

/// Sum or mean of all values, a scalar `[1]`. Summed in Double blocks so long sums stay exact
/// to float precision.
public struct Reduce: Op {
  public enum Kind: String, Sendable { case sum, mean }
  public var kind: Kind
  public init(_ kind: Kind) { self.kind = kind }
  public var name: String { kind.rawValue }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape { [1] }
  public func forward(_ io: OpIO, _ run: RunState) {
    let n = io.inputShapes[0].count
    var total = 0.0
    var i = 0
    while i < n {
      let end = min(n, i + 1024)
      var s: Float = 0
      for j in i..<end { s += io.inputs[0][j] }
      total += Double(s)
      i = end
    }
    io.output[0] = Float(kind == .mean ? total / Double(max(n, 1)) : total)
  }
  public func backward(_ io: OpIO, _ run: RunState) {
    guard let dx = io.inputGrads[0] else { return }
    let n = io.inputShapes[0].count
    let g = kind == .mean ? io.outputGrad[0] / Float(max(n, 1)) : io.outputGrad[0]
    for i in 0..<n { dx[i] += g }
  }
}

/// Sum over the last axis: `[..., D] → [...]` (a dot product per row after a `mul`).
public struct SumLast: Op {
  public init() {}
  public var name: String { "sum last" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    s[0].rank <= 1 ? [1] : Shape(Array(s[0].dims.dropLast()))
  }
  public func forward(_ io: OpIO, _ run: RunState) {
    let d = io.inputShapes[0].last
    let rows = io.inputShapes[0].rows
    for r in 0..<rows {
      let x = io.inputs[0] + r * d
      var s: Float = 0
      for j in 0..<d { s += x[j] }
      io.output[r] = s
    }
  }
  public func backward(_ io: OpIO, _ run: RunState) {
    guard let dx = io.inputGrads[0] else { return }
    let d = io.inputShapes[0].last
    let rows = io.inputShapes[0].rows
    for r in 0..<rows {
      let g = io.outputGrad[r]
      let p = dx + r * d
      for j in 0..<d { p[j] += g }
    }
  }
}
