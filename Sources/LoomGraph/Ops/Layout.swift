import LoomTensor

/// Same values, new shape (a copy: buffers are planned per node, so no view aliasing).
public struct Reshape: Op {
  public var shape: Shape
  public init(_ shape: Shape) { self.shape = shape }
  public var name: String { "reshape" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    guard s[0].count == shape.count else {
      throw ShapeError(name, s + [shape], "\(s[0].count) values do not fill \(shape)")
    }
    return shape
  }
  public func forward(_ io: OpIO, _ run: RunState) { io.output.update(from: io.inputs[0], count: shape.count) }
  public func overwritesGradient(of i: Int, inputs: [Shape]) -> Bool { true }
  public func passesGradientThrough(of i: Int, inputs: [Shape]) -> Bool { true }
  public func backward(_ io: OpIO, _ run: RunState) {
    if let dx = io.inputGrads[0] { Kernels.accumulate(io.outputGrad, into: dx, shape.count, overwrite: io.overwrites[0]) }
  }
}

/// Swaps axes 1 and 2 of a rank-4 tensor: `[A, B, C, D] → [A, C, B, D]`. Multi-head attention
/// moves between `[batch, L, heads, dh]` and `[batch, heads, L, dh]` with it; it is its own
/// inverse, so backward applies it to dy.
public struct SwapAxes12: Op {
  public init() {}
  public var name: String { "swap axes" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    guard s[0].rank == 4 else { throw ShapeError(name, s, "needs a rank-4 tensor") }
    return [s[0][0], s[0][2], s[0][1], s[0][3]]
  }
  static func swap(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ s: Shape, accumulate: Bool) {
    let (a, b, c, d) = (s[0], s[1], s[2], s[3])
    for i in 0..<a {
      for j in 0..<b {
        for k in 0..<c {
          let from = src + ((i * b + j) * c + k) * d
          let to = dst + ((i * c + k) * b + j) * d
          if accumulate { Kernels.accumulate(from, into: to, d) } else { to.update(from: from, count: d) }
        }
      }
    }
  }
  public func forward(_ io: OpIO, _ run: RunState) {
    Self.swap(io.inputs[0], io.output, io.inputShapes[0], accumulate: false)
  }
  public func backward(_ io: OpIO, _ run: RunState) {
    if let dx = io.inputGrads[0] { Self.swap(io.outputGrad, dx, io.outputShape, accumulate: true) }
  }
}
