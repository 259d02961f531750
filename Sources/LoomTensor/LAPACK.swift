import CBLAS
import Foundation

/// A LAPACK routine reported failure; `info` is LAPACK's own code (negative: argument `-info`
/// was illegal; positive: the iteration did not converge).
public struct LAPACKError: Error, CustomStringConvertible, Equatable {
  public var routine: String
  public var info: Int

  public var description: String {
    info < 0
      ? "\(routine): argument \(-info) was rejected"
      : "\(routine): did not converge (info \(info))"
  }
}

/// Truncated singular value decomposition A ≈ U_k Σ_k V_kᵀ of a row-major matrix.
///
/// Returns the `rank` leading left singular vectors `u` ([rows, rank], row-major) and the
/// singular values `s` ([rank], descending). `rank` is clamped to min(rows, cols).
/// Each singular vector's sign is fixed so that its entry of largest magnitude is positive,
/// which makes the result reproducible across LAPACK builds.
///
/// Small problems, or a rank close to min(rows, cols), call LAPACKE_sgesdd on A itself.
/// When the rank is far below min(rows, cols) the randomized range finder of Halko, Martinsson
/// and Tropp (2011, Alg. 4.4 with 2 power iterations, oversampling 10, a fixed seed) first
/// finds an orthonormal Q [rows, rank+10] spanning A's leading columns, and sgesdd decomposes
/// only B = Qᵀ A; U = Q U_B. Cost O(rows·cols·rank) instead of O(rows·cols·min(rows, cols)).
public func truncatedSVD(rows: Int, cols: Int, values: [Float], rank: Int) throws -> (
  u: [Float], s: [Float]
) {
  precondition(values.count == rows * cols, "truncatedSVD: \(values.count) values for [\(rows), \(cols)]")
  let small = min(rows, cols)
  let k = max(0, min(rank, small))
  if k == 0 { return ([], []) }
  let width = k + 10
  if small < 4 * width {
    let (u, s) = try fullSVD(rows: rows, cols: cols, values: values)
    return (fixSigns(u, rows: rows, cols: small, keep: k), Array(s[0..<k]))
  }

  // Range finder: Y = A Ω, then (A Aᵀ)^2 Y with re-orthonormalisation between products.
  var random = GaussianStream(seed: 0x5EED)
  let omega = (0..<(cols * width)).map { _ in random.next() }
  var y = multiply(values, omega, m: rows, n: width, k: cols, transposeA: false)
  for _ in 0..<2 {
    try orthonormalize(&y, rows: rows, cols: width)
    var z = multiply(values, y, m: cols, n: width, k: rows, transposeA: true)
    try orthonormalize(&z, rows: cols, cols: width)
    y = multiply(values, z, m: rows, n: width, k: cols, transposeA: false)
  }
  try orthonormalize(&y, rows: rows, cols: width)
  // B = Qᵀ A [width, cols]; its left singular vectors rotate Q into U.
  let b = multiply(y, values, m: width, n: cols, k: rows, transposeA: true)
  let (ub, s) = try fullSVD(rows: width, cols: cols, values: b)
  let u = multiply(y, ub, m: rows, n: width, k: width, transposeA: false)
  return (fixSigns(u, rows: rows, cols: width, keep: k), Array(s[0..<k]))
}

/// Thin SVD by sgesdd (jobz 'S'): U [rows, min] row-major and the min(rows, cols) singular
/// values. A wide matrix is transposed first (Aᵀ = V Σ Uᵀ), so no [cols, cols] array appears.
private func fullSVD(rows: Int, cols: Int, values: [Float]) throws -> (u: [Float], s: [Float]) {
  let transposed = rows < cols
  let m = transposed ? cols : rows
  let n = transposed ? rows : cols
  var a = values
  if transposed {
    for r in 0..<rows {
      for c in 0..<cols { a[c * n + r] = values[r * cols + c] }
    }
  }
  var s = [Float](repeating: 0, count: n)
  var u = [Float](repeating: 0, count: m * n)  // [m, n]
  var vt = [Float](repeating: 0, count: n * n)  // [n, n]; ldvt >= n even when unused
  let info = LAPACKE_sgesdd(
    LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "S")), Int32(m), Int32(n), &a, Int32(n),
    &s, &u, Int32(n), &vt, Int32(n))
  if info != 0 { throw LAPACKError(routine: "LAPACKE_sgesdd", info: Int(info)) }
  if !transposed { return (u, s) }
  // Left singular vectors of the original matrix are the rows of Vᵀ: U = (Vᵀ)ᵀ, [rows, n].
  var left = [Float](repeating: 0, count: rows * n)
  for j in 0..<n { for r in 0..<rows { left[r * n + j] = vt[j * n + r] } }
  return (left, s)
}

/// The first `keep` columns of `u` [rows, cols], each negated if needed so that its entry of
/// largest magnitude is positive.
private func fixSigns(_ u: [Float], rows: Int, cols: Int, keep: Int) -> [Float] {
  var result = [Float](repeating: 0, count: rows * keep)
  for j in 0..<keep {
    var largest: Float = 0
    for r in 0..<rows where abs(u[r * cols + j]) > abs(largest) { largest = u[r * cols + j] }
    let sign: Float = largest < 0 ? -1 : 1
    for r in 0..<rows { result[r * keep + j] = sign * u[r * cols + j] }
  }
  return result
}

/// C [m, n] = op(A) B with op(A) = A [m, k] or Aᵀ (A stored [k, m]); B is [k, n].
private func multiply(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, transposeA: Bool) -> [Float] {
  var c = [Float](repeating: 0, count: m * n)
  cblas_sgemm(
    CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
    1, a, Int32(transposeA ? m : k), b, Int32(n), 0, &c, Int32(n))
  return c
}

/// Replaces the columns of a [rows, cols] matrix (rows >= cols) by an orthonormal basis of
/// their span: Householder QR (sgeqrf), then Q explicitly (sorgqr).
private func orthonormalize(_ a: inout [Float], rows: Int, cols: Int) throws {
  var tau = [Float](repeating: 0, count: cols)
  var info = LAPACKE_sgeqrf(LAPACK_ROW_MAJOR, Int32(rows), Int32(cols), &a, Int32(cols), &tau)
  if info != 0 { throw LAPACKError(routine: "LAPACKE_sgeqrf", info: Int(info)) }
  info = LAPACKE_sorgqr(LAPACK_ROW_MAJOR, Int32(rows), Int32(cols), Int32(cols), &a, Int32(cols), &tau)
  if info != 0 { throw LAPACKError(routine: "LAPACKE_sorgqr", info: Int(info)) }
}

/// Standard normal numbers for the random test matrix: SplitMix64 bits, Box–Muller.
private struct GaussianStream {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func bits() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func next() -> Float {
    let u1 = 1 - Double(bits() >> 11) * 0x1.0p-53
    let u2 = Double(bits() >> 11) * 0x1.0p-53
    return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
  }
}
