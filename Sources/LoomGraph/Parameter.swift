import LoomTensor

/// A trainable tensor with its gradient and Adam moments.
///
/// Parameters live outside any graph: a training graph for batch B and an evaluation graph for
/// all users bind the same storage, so training one updates the other.
public final class Parameter: @unchecked Sendable, CustomStringConvertible {
  public let name: String
  public let shape: Shape
  public let value: TensorStorage
  public let grad: TensorStorage
  /// Adam's first and second moment estimates.
  public let moment1: TensorStorage
  public let moment2: TensorStorage
  /// A frozen parameter is read by graphs but never updated (precomputed feature tables).
  public var trainable: Bool
  /// Whether L2 weight decay applies: every trainable parameter, as in the papers' λ‖Θ‖²
  /// (MIN eq. 3).
  public var decays: Bool

  public init(name: String, value: Tensor, trainable: Bool = true) {
    self.name = name
    self.shape = value.shape
    self.value = value.storage
    grad = TensorStorage(capacity: value.count)
    moment1 = TensorStorage(capacity: value.count)
    moment2 = TensorStorage(capacity: value.count)
    self.trainable = trainable
    self.decays = trainable
  }

  public var count: Int { shape.count }
  public var tensor: Tensor { Tensor(shape: shape, values: Array(value.buffer.prefix(count))) }
  public var description: String { "\(name)\(shape)" }

  public func zeroGrad() { grad.pointer.update(repeating: 0, count: count) }
}

/// All parameters of a model, in creation order (the order checkpoints store them in).
public final class ParameterStore: @unchecked Sendable {
  public private(set) var parameters: [Parameter] = []
  private var names: Set<String> = []

  public init() {}

  /// Adds a parameter; a repeated name gets a numeric suffix so every name is unique.
  @discardableResult
  public func add(_ name: String, _ value: Tensor, trainable: Bool = true) -> Parameter {
    var unique = name
    var k = 2
    while names.contains(unique) {
      unique = "\(name)#\(k)"
      k += 1
    }
    names.insert(unique)
    let p = Parameter(name: unique, value: value, trainable: trainable)
    parameters.append(p)
    return p
  }

  /// Adds an existing parameter (a layer's own), keeping its name.
  public func append(_ p: Parameter) {
    names.insert(p.name)
    parameters.append(p)
  }

  public var trainable: [Parameter] { parameters.filter(\.trainable) }
  public var count: Int { trainable.reduce(0) { $0 + $1.count } }
}
