import LoomTensor

/// y = c·x for a constant c (a loss term's weight, MIN eq. 3's α and β).
public struct Scale: Op {
  public var factor: Float
  public init(_ factor: Float) { self.factor = factor }
  public var name: String { "scale" }
  public var detail: String { "\(factor)" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape { s[0] }
  public func forward(_ io: OpIO, _ run: RunState) {
    for i in 0..<io.outputShape.count { io.output[i] = factor * io.inputs[0][i] }
  }
  public func backward(_ io: OpIO, _ run: RunState) {
    guard let dx = io.inputGrads[0] else { return }
    for i in 0..<io.outputShape.count { dx[i] += factor * io.outputGrad[i] }
  }
}
