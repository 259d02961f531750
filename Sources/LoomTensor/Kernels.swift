/// Elementwise kernels over raw buffers, written so that the optimiser vectorises them:
/// straight loops over pointers, no branches that depend on data beyond min/max selects.
/// The scalar functions are @inlinable: without it every call from another module (GRU scan,
/// softmax, losses) was a real call and the loops around them could not be vectorised.
public enum Kernels {
  /// e^x for Float, vectorisable: Cody–Waite reduction x = n·ln2 + r, |r| ≤ ln2/2, then a
  /// degree-6 Taylor polynomial of e^r (relative error < 2e-7 on the reduced range) scaled by 2^n
  /// through the exponent bits. Inputs are clamped to [-87, 88] so 2^n stays a normal float;
  /// a NaN input gives NaN (the float→int conversion would trap on it, so it is kept out and
  /// selected back at the end: both are branch-free selects).
  @inlinable @inline(__always)
  public static func exp(_ x: Float) -> Float {
    let xc = x.isNaN ? 0 : min(max(x, -87), 88)
    let t = xc * 1.442_695_04
    // Round to nearest with the 1.5·2^23 trick: `big`'s low mantissa bits hold n itself, read
    // back as an integer. (Int32(nf) gives the same n but is a trapping conversion whose
    // range check kept every loop around exp scalar.)
    let big = t + 12_582_912
    let nf = big - 12_582_912
    let r = (xc - nf * 0.693_145_75) - nf * 1.428_606_8e-6
    var p: Float = 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let n = Int32(bitPattern: big.bitPattern) &- 0x4B40_0000
    let result = p * Float(bitPattern: UInt32(bitPattern: (n &+ 127) &<< 23))
    return x.isNaN ? x : result
  }

  /// Σ_j e^{x_j − shift} over n values. The exponentials go through `buffer` (n floats) first:
  /// that loop vectorises, while a float sum written as one running total cannot be (its order
  /// is part of its value); the buffer is then summed with eight running totals, which can.
  /// About 2.5× faster than the one-loop sum over a 1598-item softmax row.
  public static func sumOfExp(_ x: UnsafePointer<Float>, _ n: Int, minus shift: Float, buffer: UnsafeMutablePointer<Float>)
    -> Float
  {
    for j in 0..<n { buffer[j] = exp(x[j] - shift) }
    return sum(buffer, n)
  }

  /// Σ x_i with eight running totals, ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)), then
  /// the tail in order: a single total cannot be vectorised, since its order is part of its value.
  @inlinable
  public static func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var a0: Float = 0
    var a1: Float = 0
    var a2: Float = 0
    var a3: Float = 0
    var a4: Float = 0
    var a5: Float = 0
    var a6: Float = 0
    var a7: Float = 0
    var j = 0
    while j + 8 <= n {
      a0 += x[j]
      a1 += x[j + 1]
      a2 += x[j + 2]
      a3 += x[j + 3]
      a4 += x[j + 4]
      a5 += x[j + 5]
      a6 += x[j + 6]
      a7 += x[j + 7]
      j += 8
    }
    var total = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
    while j < n {
      total += x[j]
      j += 1
    }
    return total
  }

  /// The largest of n values (−∞ for none; a NaN is passed over). Written as `v > m ? v : m`,
  /// exactly what x86's maxps computes, over eight running maxima, so the loop vectorises; the
  /// one-total `max(m, v)` loop stays scalar (a compiler may not reorder it without fast-math).
  /// A maximum is exact, so the order changes nothing: the softmax loss's values are the same.
  public static func maximum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var m0 = -Float.infinity
    var m1 = m0
    var m2 = m0
    var m3 = m0
    var m4 = m0
    var m5 = m0
    var m6 = m0
    var m7 = m0
    var j = 0
    while j + 8 <= n {
      m0 = x[j] > m0 ? x[j] : m0
      m1 = x[j + 1] > m1 ? x[j + 1] : m1
      m2 = x[j + 2] > m2 ? x[j + 2] : m2
      m3 = x[j + 3] > m3 ? x[j + 3] : m3
      m4 = x[j + 4] > m4 ? x[j + 4] : m4
      m5 = x[j + 5] > m5 ? x[j + 5] : m5
      m6 = x[j + 6] > m6 ? x[j + 6] : m6
      m7 = x[j + 7] > m7 ? x[j + 7] : m7
      j += 8
    }
    var m = Swift.max(Swift.max(Swift.max(m0, m1), Swift.max(m2, m3)), Swift.max(Swift.max(m4, m5), Swift.max(m6, m7)))
    while j < n {
      if x[j] > m { m = x[j] }
      j += 1
    }
    return m
  }

  @inlinable @inline(__always) public static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }

  /// tanh x = 1 − 2 / (e^{2x} + 1): saturates cleanly to ±1 for large |x|.
  @inlinable @inline(__always) public static func tanh(_ x: Float) -> Float { 1 - 2 / (exp(2 * x) + 1) }

  /// log(1 + e^x), stable for large |x|: max(x, 0) + log(1 + e^{−|x|}).
  @inlinable @inline(__always) public static func softplus(_ x: Float) -> Float {
    max(x, 0) + log1pf(exp(-abs(x)))
  }

  public static func fill(_ p: UnsafeMutablePointer<Float>, _ n: Int, _ v: Float) {
    p.update(repeating: v, count: n)
  }

  /// Sets n values to zero, split over `Parallel.ways` threads when large (a gradient buffer
  /// before its first writer).
  public static func zero(_ p: UnsafeMutablePointer<Float>, _ n: Int) {
    Parallel.forEachRange(n, granule: 16, worthSplitting: n >= 4 * Parallel.minimumValues) { part in
      (p + part.lowerBound).update(repeating: 0, count: part.count)
    }
  }

  public static func copy(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
    dst.update(from: src, count: n)
  }

  /// dst += src, or dst = src with `overwrite` (a gradient's first writer). Split over
  /// `Parallel.ways` threads when large; each value is one addition, so any split gives the
  /// same values.
  public static func accumulate(
    _ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ n: Int, overwrite: Bool = false
  ) {
    Parallel.forEachRange(n, granule: 16, worthSplitting: n >= Parallel.minimumValues) { range in
      if overwrite {
        (dst + range.lowerBound).update(from: src + range.lowerBound, count: range.count)
      } else {
        for i in range { dst[i] += src[i] }
      }
    }
  }

  /// dst += a ⊙ b, or dst = a ⊙ b with `overwrite` (split like `accumulate`).
  public static func accumulateProduct(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ n: Int,
    overwrite: Bool = false
  ) {
    Parallel.forEachRange(n, granule: 16, worthSplitting: n >= Parallel.minimumValues) { range in
      if overwrite {
        for i in range { dst[i] = a[i] * b[i] }
      } else {
        for i in range { dst[i] += a[i] * b[i] }
      }
    }
  }

  /// dst[j] += Σ_r x[r, j] over `rows` rows of `d` values, the rows added in order: a bias's
  /// gradient. Split over blocks of columns, so each column's sum keeps its order on any number
  /// of threads.
  public static func accumulateRows(
    _ x: UnsafePointer<Float>, rows: Int, _ d: Int, into dst: UnsafeMutablePointer<Float>
  ) {
    Parallel.forEachRange(d, granule: 16, worthSplitting: rows * d >= Parallel.minimumValues) { columns in
      for r in 0..<rows {
        let xr = x + r * d
        for j in columns { dst[j] += xr[j] }
      }
    }
  }

  /// True when every value is finite (no NaN, no ±Inf).
  public static func allFinite(_ p: UnsafePointer<Float>, _ n: Int) -> Bool {
    var bad: Float = 0
    for i in 0..<n { bad += p[i] * 0 }  // NaN·0 and Inf·0 are NaN; finite·0 is 0
    return bad == 0
  }

  /// Σ x_i² in Double, for norms that must not overflow.
  public static func sumOfSquares(_ p: UnsafePointer<Float>, _ n: Int) -> Double {
    var s: Float = 0
    var total = 0.0
    var i = 0
    while i < n {
      let end = min(n, i + 4096)
      s = 0
      for j in i..<end { s += p[j] * p[j] }
      total += Double(s)
      i = end
    }
    return total
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
