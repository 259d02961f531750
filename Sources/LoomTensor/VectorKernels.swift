/// Eight floats at a time, written out as `SIMD8<Float>`, for loops the optimiser leaves scalar:
/// a loop that writes one part of a buffer and reads another part of the same buffer (the GRU
/// scan's gate rows, `gates + 2h` written while `gates` and `gates + 3h` are read) has a
/// dependence distance the vectoriser cannot bound, so it does not vectorise it; `perf annotate`
/// showed the scan's tanh, state and backward loops as `vmulss`/`vdivss`, one value at a time.
///
/// Every function here is its scalar counterpart in `Kernels` lane by lane: the same IEEE
/// operations in the same order (Swift does not fuse a·b + c), so a lane gives the bits the
/// scalar function gives (`VectorKernelTests` checks it over ordinary, extreme and NaN inputs).
extension Kernels {
  public typealias Vector = SIMD8<Float>

  @inlinable @inline(__always)
  public static func load(_ p: UnsafePointer<Float>) -> Vector {
    UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
  }

  @inlinable @inline(__always)
  public static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
  }

  /// `exp(Float)` on eight lanes: the same clamp, reduction, polynomial and exponent bits.
  @inlinable @inline(__always)
  public static func exp(_ x: Vector) -> Vector {
    let isNaN = x .!= x
    let clamped = x.clamped(lowerBound: Vector(repeating: -87), upperBound: Vector(repeating: 88))
    let xc = Vector(repeating: 0).replacing(with: clamped, where: .!isNaN)
    let t = xc * 1.442_695_04
    let big = t + 12_582_912
    let nf = big - 12_582_912
    let r = (xc - nf * 0.693_145_75) - nf * 1.428_606_8e-6
    var p = Vector(repeating: 1.0 / 720)
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let n = unsafeBitCast(big, to: SIMD8<Int32>.self) &- 0x4B40_0000
    let result = p * unsafeBitCast((n &+ 127) &<< 23, to: Vector.self)
    return result.replacing(with: x, where: isNaN)
  }

  /// `sigmoid(Float)` on eight lanes: 1 / (1 + e^{−x}).
  @inlinable @inline(__always)
  public static func sigmoid(_ x: Vector) -> Vector { 1 / (1 + exp(-x)) }

  /// `tanh(Float)` on eight lanes: 1 − 2 / (e^{2x} + 1).
  @inlinable @inline(__always)
  public static func tanh(_ x: Vector) -> Vector { 1 - 2 / (exp(2 * x) + 1) }
}

/// Eight rows of a row-major matrix read one column at a time, lane i from row i: a sum over
/// each row's values in order (a layer norm's mean and variance) runs on eight rows at once,
/// each lane the row's own running total, so every row gets the bits of its one-row sum while
/// eight sums share an instruction instead of each waiting on its last addition.
public struct EightRows {
  @usableFromInline let p0, p1, p2, p3, p4, p5, p6, p7: UnsafePointer<Float>

  @inlinable @inline(__always)
  public init(_ first: UnsafePointer<Float>, stride: Int) {
    (p0, p1, p2, p3) = (first, first + stride, first + 2 * stride, first + 3 * stride)
    (p4, p5, p6, p7) = (first + 4 * stride, first + 5 * stride, first + 6 * stride, first + 7 * stride)
  }

  /// Column j: [row0[j], row1[j], ..., row7[j]].
  @inlinable @inline(__always)
  public subscript(j: Int) -> Kernels.Vector {
    Kernels.Vector(p0[j], p1[j], p2[j], p3[j], p4[j], p5[j], p6[j], p7[j])
  }
}
