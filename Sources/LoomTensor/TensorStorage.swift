/// An owned, 64-byte aligned buffer of Float32, freed when the last reference goes.
///
/// Hot loops never index this class directly: they take `pointer` once and work on it
/// (platform notes: a class-held array indexed in a loop runs ~170× slower).
public final class TensorStorage: @unchecked Sendable {
  public let pointer: UnsafeMutablePointer<Float>
  public let capacity: Int

  public init(capacity: Int, zeroed: Bool = true) {
    self.capacity = capacity
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: max(capacity, 1) * MemoryLayout<Float>.stride, alignment: 64)
    pointer = raw.bindMemory(to: Float.self, capacity: max(capacity, 1))
    if zeroed { pointer.initialize(repeating: 0, count: max(capacity, 1)) }
  }

  deinit { UnsafeMutableRawPointer(pointer).deallocate() }

  public var buffer: UnsafeMutableBufferPointer<Float> {
    UnsafeMutableBufferPointer(start: pointer, count: capacity)
  }
}
