import CBLAS

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
/// Calls LAPACKE_sgesdd (divide and conquer) with jobz 'S'. When rows < cols the
/// transpose is decomposed instead (Aᵀ = V Σ Uᵀ), so the largest workspace is
/// [max, min] plus [min, min] and never [cols, cols].
public func truncatedSVD(rows: Int, cols: Int, values: [Float], rank: Int) throws -> (
  u: [Float], s: [Float]
) {
  precondition(values.count == rows * cols, "truncatedSVD: \(values.count) values for [\(rows), \(cols)]")
  let small = min(rows, cols)
  let k = max(0, min(rank, small))
  if k == 0 { return ([], []) }

  // Work on a tall matrix m >= n: A itself, or its transpose.
  let transposed = rows < cols
  let m = transposed ? cols : rows
  let n = transposed ? rows : cols
  var a = [Float](repeating: 0, count: m * n)
  if transposed {
    for r in 0..<rows {
      for c in 0..<cols { a[c * n + r] = values[r * cols + c] }
    }
  } else {
    a = values
  }
  var s = [Float](repeating: 0, count: n)
  var u = [Float](repeating: 0, count: m * n)  // [m, n]
  var vt = [Float](repeating: 0, count: n * n)  // [n, n]; ldvt >= n even when unused
  let info = LAPACKE_sgesdd(
    LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "S")), Int32(m), Int32(n), &a, Int32(n),
    &s, &u, Int32(n), &vt, Int32(n))
  if info != 0 { throw LAPACKError(routine: "LAPACKE_sgesdd", info: Int(info)) }

  // Left singular vectors of the original matrix: columns of U, or rows of Vᵀ when transposed.
  var result = [Float](repeating: 0, count: rows * k)
  for j in 0..<k {
    var largest: Float = 0
    for r in 0..<rows {
      let v = transposed ? vt[j * n + r] : u[r * n + j]
      if abs(v) > abs(largest) { largest = v }
    }
    let sign: Float = largest < 0 ? -1 : 1
    for r in 0..<rows {
      let v = transposed ? vt[j * n + r] : u[r * n + j]
      result[r * k + j] = sign * v
    }
  }
  return (result, Array(s[0..<k]))
}
