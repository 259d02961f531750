import Foundation

/// A dense, row-major Float32 tensor: a shape over a contiguous buffer.
///
/// Tensors are what crosses the engine's boundary (parameters, inputs fed to a compiled graph,
/// outputs read back). Inside a compiled graph the executor works on raw pointers into one arena.
public struct Tensor: @unchecked Sendable, CustomStringConvertible {
  public let shape: Shape
  public let storage: TensorStorage

  public init(zeros shape: Shape) {
    self.shape = shape
    storage = TensorStorage(capacity: shape.count)
  }

  public init(shape: Shape, values: [Float]) {
    precondition(values.count == shape.count, "Tensor(shape: \(shape)): \(values.count) values")
    self.shape = shape
    storage = TensorStorage(capacity: shape.count, zeroed: false)
    values.withUnsafeBufferPointer { source in
      guard let start = source.baseAddress else { return }  // an empty tensor
      storage.pointer.update(from: start, count: source.count)
    }
  }

  public init(shape: Shape, repeating value: Float) {
    self.shape = shape
    storage = TensorStorage(capacity: shape.count, zeroed: false)
    storage.pointer.update(repeating: value, count: shape.count)
  }

  /// Normal(0, std) entries from `random`.
  public init(shape: Shape, normalStd std: Float, random: inout SeededRandom) {
    self.init(zeros: shape)
    let p = storage.pointer
    for i in 0..<shape.count { p[i] = std * random.nextNormal() }
  }

  public var count: Int { shape.count }
  public var pointer: UnsafeMutablePointer<Float> { storage.pointer }
  public var scalars: [Float] { Array(UnsafeBufferPointer(start: storage.pointer, count: count)) }
  public subscript(i: Int) -> Float {
    get { storage.pointer[i] }
    nonmutating set { storage.pointer[i] = newValue }
  }

  /// A deep copy with its own storage.
  public func copy() -> Tensor { Tensor(shape: shape, values: scalars) }

  public var description: String {
    let shown = scalars.prefix(8).map { String(format: "%.4g", Double($0)) }.joined(separator: ", ")
    return "Tensor\(shape)(\(shown)\(count > 8 ? ", …" : ""))"
  }
}
