/// A small, fast, seedable generator (xoshiro256**, seeded through SplitMix64).
///
/// Every random choice in Loom takes one of these explicitly, so a seed fixes a whole run.
/// It is a value type: copying it forks the stream, which is how a run is replayed exactly
/// (for example to find the op that produced a NaN).
public struct SeededRandom: RandomNumberGenerator, Sendable, Hashable, Codable {
  // Four words, not an array: an array's bounds and uniqueness checks made dropout masks
  // (one draw per element) several times slower. Visible to inlined code so that `next()` is
  // inlined into other modules' loops (dropout, samplers) instead of called per draw.
  @usableFromInline var s0, s1, s2, s3: UInt64

  public init(seed: UInt64) {
    var s = seed
    func splitMix() -> UInt64 {
      s &+= 0x9E37_79B9_7F4A_7C15
      var z = s
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    (s0, s1, s2, s3) = (splitMix(), splitMix(), splitMix(), splitMix())
  }

  /// A generator with the given raw state (to check against reference outputs).
  public init(state: (UInt64, UInt64, UInt64, UInt64)) {
    (s0, s1, s2, s3) = state
  }

  @inlinable @inline(__always)
  public mutating func next() -> UInt64 {
    let result = rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 45)
    return result
  }

  @inlinable @inline(__always) func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// Uniform in [0, 1) with 24 random bits, exact in Float.
  @inlinable @inline(__always)
  public mutating func nextUniform() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

  /// Uniform integer in 0..<n (n > 0), by Lemire's multiply-shift (bias below 2^-32 for n < 2^32).
  @inlinable @inline(__always)
  public mutating func nextInt(below n: Int) -> Int {
    Int((UInt64(UInt32(truncatingIfNeeded: next() >> 32)) &* UInt64(n)) >> 32)
  }

  /// Standard normal by the Box–Muller transform.
  public mutating func nextNormal() -> Float {
    var u1 = nextUniform()
    while u1 <= 0 { u1 = nextUniform() }
    let u2 = nextUniform()
    return (-2 * log(u1)).squareRoot() * cos(2 * Float.pi * u2)
  }

  /// A derived generator whose stream does not overlap this one's in practice.
  public mutating func split() -> SeededRandom { SeededRandom(seed: next()) }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
