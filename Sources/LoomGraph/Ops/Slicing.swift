import LoomTensor

/// Concatenation on the last axis: `[..., A] ++ [..., B] → [..., A + B]`. Backward slices dy.
public struct Concat: Op {
  public init() {}
  public var name: String { "concat" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    guard let first = s.first else { throw ShapeError(name, s, "needs at least one input") }
    let lead = Array(first.dims.dropLast())
    guard s.allSatisfy({ $0.rank == first.rank && Array($0.dims.dropLast()) == lead }) else {
      throw ShapeError(name, s, "all inputs need the same leading axes \(Shape(lead))")
    }
    return first.withLast(s.reduce(0) { $0 + $1.last })
  }
  public func forward(_ io: OpIO, _ run: RunState) {
    let total = io.outputShape.last
    let rows = io.outputShape.rows
    var offset = 0
    for (k, x) in io.inputs.enumerated() {
      let d = io.inputShapes[k].last
      for r in 0..<rows { (io.output + r * total + offset).update(from: x + r * d, count: d) }
      offset += d
    }
  }
  public func backward(_ io: OpIO, _ run: RunState) {
    let total = io.outputShape.last
    let rows = io.outputShape.rows
    var offset = 0
    for k in io.inputs.indices {
      let d = io.inputShapes[k].last
      if let dx = io.inputGrads[k] {
        for r in 0..<rows { Kernels.accumulate(io.outputGrad + r * total + offset, into: dx + r * d, d) }
      }
      offset += d
    }
  }
}

/// Columns `start ..< start + length` of the last axis (the inverse of `Concat`, i.e. split).
public struct SliceLast: Op {
  public var start, length: Int
  public init(start: Int, length: Int) {
    self.start = start
    self.length = length
  }
  public var name: String { "slice" }
  public var detail: String { "last axis \(start)..<\(start + length)" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    guard start >= 0, length > 0, start + length <= s[0].last else {
      throw ShapeError(name, s, "columns \(start)..<\(start + length) are outside 0..<\(s[0].last)")
    }
    return s[0].withLast(length)
  }
  public func forward(_ io: OpIO, _ run: RunState) {
    let d = io.inputShapes[0].last
    let rows = io.outputShape.rows
    for r in 0..<rows { (io.output + r * length).update(from: io.inputs[0] + r * d + start, count: length) }
  }
  public func backward(_ io: OpIO, _ run: RunState) {
    guard let dx = io.inputGrads[0] else { return }
    let d = io.inputShapes[0].last
    let rows = io.outputShape.rows
    for r in 0..<rows { Kernels.accumulate(io.outputGrad + r * length, into: dx + r * d + start, length) }
  }
}

/// Time steps `start ..< start + length` of `[B, L, ...]` (axis 1).
public struct SliceTime: Op {
  public var start, length: Int
  public init(start: Int, length: Int) {
    self.start = start
    self.length = length
  }
  public var name: String { "slice time" }
  public var detail: String { "\(start)..<\(start + length)" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    guard s[0].rank >= 2, start >= 0, length > 0, start + length <= s[0][1] else {
      throw ShapeError(name, s, "steps \(start)..<\(start + length) are outside the time axis")
    }
    var out = s[0]
    out[1] = length
    return out
  }
  public func forward(_ io: OpIO, _ run: RunState) {
    let x = io.inputShapes[0]
    let inner = x.count / (x[0] * x[1])
    for b in 0..<x[0] {
      (io.output + b * length * inner).update(from: io.inputs[0] + (b * x[1] + start) * inner, count: length * inner)
    }
  }
  public func backward(_ io: OpIO, _ run: RunState) {
    guard let dx = io.inputGrads[0] else { return }
    let x = io.inputShapes[0]
    let inner = x.count / (x[0] * x[1])
    for b in 0..<x[0] {
      Kernels.accumulate(io.outputGrad + b * length * inner, into: dx + (b * x[1] + start) * inner, length * inner)
    }
  }
}

/// Shifts `[B, L, ...]` forward in time by `steps`: out[:, t] = x[:, t − steps], zeros before.
/// MFN4Rec pairs each step with the one before it, h_[t−1,t] = [h_{t−1}, h_t] (§3.2, h_0 = 0).
public struct ShiftTime: Op {
  public var steps: Int
  public init(steps: Int = 1) { self.steps = steps }
  public var name: String { "shift time" }
  public var detail: String { "by \(steps)" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    guard s[0].rank >= 2, steps >= 0 else { throw ShapeError(name, s, "needs a [B, L, ...] input") }
    return s[0]
  }
  public func forward(_ io: OpIO, _ run: RunState) {
    let x = io.inputShapes[0]
    let (l, inner) = (x[1], x.count / (x[0] * x[1]))
    let k = min(steps, l)
    for b in 0..<x[0] {
      let (src, dst) = (io.inputs[0] + b * l * inner, io.output + b * l * inner)
      dst.update(repeating: 0, count: k * inner)
      (dst + k * inner).update(from: src, count: (l - k) * inner)
    }
  }
  public func backward(_ io: OpIO, _ run: RunState) {
    guard let dx = io.inputGrads[0] else { return }
    let x = io.inputShapes[0]
    let (l, inner) = (x[1], x.count / (x[0] * x[1]))
    let k = min(steps, l)
    for b in 0..<x[0] {
      Kernels.accumulate(io.outputGrad + (b * l + k) * inner, into: dx + b * l * inner, (l - k) * inner)
    }
  }
}
