/// An immutable block of Float32 weights with a stable address, so the forward pass hands
/// pointers straight to BLAS and its loops without `withUnsafeBufferPointer` closures (and
/// without indexing a class-held array inside a hot loop: the platform notes' ~170× trap).
final class FloatBuffer: @unchecked Sendable {
  /// Written once in `init`, read-only afterwards: safe to share between threads.
  let base: UnsafeMutablePointer<Float>
  let count: Int

  init(_ values: [Float]) {
    count = values.count
    base = .allocate(capacity: max(1, values.count))
    base.initialize(repeating: 0, count: max(1, values.count))
    values.withUnsafeBufferPointer { source in
      for (i, v) in source.enumerated() { base[i] = v }
    }
  }

  deinit { base.deallocate() }
}
