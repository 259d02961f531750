import Foundation
import LoomTensor

/// The seeded generator for every random choice in data handling (synthetic data, shuffling,
/// negative sampling), so that a seed fixes the result on every platform and Swift version.
///
/// xoshiro256** (Blackman & Vigna 2018) with its state filled by SplitMix64 from the seed.
/// Only our own derivations are used on top of `next()`: Swift's `random(in:using:)` does not
/// promise a stable algorithm across releases.
public struct DataRandom: Sendable {
  /// The engine's xoshiro256** stream (same algorithm, same seeding); this type adds the
  /// Double-based draws data handling needs.
  private var core: SeededRandom

  public init(seed: UInt64) { core = SeededRandom(seed: seed) }

  /// A generator with the given raw state (for checking against the reference outputs).
  init(state: (UInt64, UInt64, UInt64, UInt64)) { core = SeededRandom(state: state) }

  /// An independent stream derived from this seed and a label (e.g. one per epoch).
  public init(seed: UInt64, stream: UInt64) {
    self.init(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) &+ stream)
  }

  @inline(__always)
  public mutating func next() -> UInt64 { core.next() }

  /// Uniform in [0, 1), 53 random bits.
  public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

  /// Uniform integer in 0..<n without modulo bias (Lemire's multiply-and-reject).
  public mutating func below(_ n: Int) -> Int {
    precondition(n > 0, "DataRandom.below: n must be positive, got \(n)")
    let bound = UInt64(n)
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
    }
    return Int(product.high)
  }

  /// Standard normal by the Box–Muller transform.
  public mutating func normal() -> Double {
    let u1 = 1 - uniform()  // (0, 1], keeps log finite
    let u2 = uniform()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// True with probability p.
  public mutating func chance(_ p: Double) -> Bool { uniform() < p }

  /// Fisher–Yates shuffle in place.
  public mutating func shuffle<T>(_ values: inout [T]) {
    if values.count < 2 { return }
    for i in stride(from: values.count - 1, to: 0, by: -1) {
      values.swapAt(i, below(i + 1))
    }
  }

  /// An index drawn with probability proportional to `cumulative[i] - cumulative[i-1]`
  /// (`cumulative` non-decreasing, last entry the total), by binary search.
  public mutating func pick(cumulative: [Double]) -> Int {
    let target = uniform() * (cumulative.last ?? 0)
    var low = 0
    var high = cumulative.count - 1
    while low < high {
      let mid = (low + high) / 2
      if cumulative[mid] > target { high = mid } else { low = mid + 1 }
    }
    return low
  }
}
