import LoomTensor

/// Pointwise nonlinearities. Sigmoid and tanh differentiate from their output; relu and gelu
/// from their input.
public struct Activation: Op {
  public enum Kind: String, Sendable, CaseIterable { case relu, gelu, sigmoid, tanh }
  public var kind: Kind
  public init(_ kind: Kind) { self.kind = kind }
  public var name: String { kind.rawValue }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape { s[0] }

  public func forward(_ io: OpIO, _ run: RunState) {
    let n = io.outputShape.count
    let (x, y) = (io.inputs[0], io.output)
    switch kind {
    case .relu: for i in 0..<n { y[i] = max(x[i], 0) }
    case .sigmoid: for i in 0..<n { y[i] = Kernels.sigmoid(x[i]) }
    case .tanh: for i in 0..<n { y[i] = Kernels.tanh(x[i]) }
    case .gelu:  // exact GELU: x·Φ(x) = ½x(1 + erf(x/√2))
      for i in 0..<n { y[i] = 0.5 * x[i] * (1 + erff(x[i] * 0.707_106_77)) }
    }
  }

  public func backward(_ io: OpIO, _ run: RunState) {
    guard let dx = io.inputGrads[0] else { return }
    let n = io.outputShape.count
    let (x, y, dy) = (io.inputs[0], io.output, io.outputGrad)
    switch kind {
    case .relu: for i in 0..<n { dx[i] += dy[i] * (x[i] > 0 ? 1 : 0) }  // branch-free: vectorises
    case .sigmoid: for i in 0..<n { dx[i] += dy[i] * y[i] * (1 - y[i]) }
    case .tanh: for i in 0..<n { dx[i] += dy[i] * (1 - y[i] * y[i]) }
    case .gelu:  // d/dx xΦ(x) = Φ(x) + x·φ(x)
      for i in 0..<n {
        let cdf = 0.5 * (1 + erff(x[i] * 0.707_106_77))
        let pdf = 0.398_942_28 * Kernels.exp(-0.5 * x[i] * x[i])
        dx[i] += dy[i] * (cdf + x[i] * pdf)
      }
    }
  }
}

#if canImport(Glibc)
  import Glibc
#endif
