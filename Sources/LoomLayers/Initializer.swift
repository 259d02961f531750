import LoomGraph
import LoomTensor

/// How a parameter is drawn, so that `initialize(seed:)` can redraw a whole model.
/// Choices follow the reference (torch-ref M21, F14): Xavier-normal matrices, N(0, 0.02)
/// embeddings with a zero padding row, zero biases, unit layer-norm gains, and PyTorch's
/// U(±1/√H) for GRU weights.
public enum Initializer: Sendable {
  case xavierNormal(fanIn: Int, fanOut: Int)
  case normal(std: Float)
  /// N(0, std) with row 0 (the padding id) zero.
  case embedding(std: Float)
  case uniform(bound: Float)
  case zeros
  case ones

  public func fill(_ p: Parameter, _ random: inout SeededRandom) {
    let v = p.value.pointer
    switch self {
    case .xavierNormal(let fanIn, let fanOut):
      let std = (2 / Float(fanIn + fanOut)).squareRoot()
      for i in 0..<p.count { v[i] = std * random.nextNormal() }
    case .normal(let std):
      for i in 0..<p.count { v[i] = std * random.nextNormal() }
    case .embedding(let std):
      for i in 0..<p.count { v[i] = std * random.nextNormal() }
      v.update(repeating: 0, count: p.shape.last)
    case .uniform(let bound):
      for i in 0..<p.count { v[i] = (2 * random.nextUniform() - 1) * bound }
    case .zeros: v.update(repeating: 0, count: p.count)
    case .ones: v.update(repeating: 1, count: p.count)
    }
  }
}

/// A layer's parameter together with how it is initialised.
public struct Weight: @unchecked Sendable {
  public let parameter: Parameter
  public let initializer: Initializer

  /// Creates the parameter and draws its first values from a fixed stream (seeded by its size),
  /// so that an untrained model already scores; `fit` redraws everything from its own seed.
  public init(_ name: String, _ shape: Shape, _ initializer: Initializer) {
    parameter = Parameter(name: name, value: Tensor(zeros: shape))
    self.initializer = initializer
    var random = SeededRandom(seed: UInt64(shape.count))
    initializer.fill(parameter, &random)
  }
}
