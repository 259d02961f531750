import CBLAS

/// The one place that calls OpenBLAS. Every matrix product in Loom goes through `gemm`.
///
/// Row-major throughout: a matrix of `rows × cols` has leading dimension `cols` unless a view says
/// otherwise.
public enum BLAS {
  /// C = alpha · op(A) · op(B) + beta · C, with op(X) = X or Xᵀ.
  /// Shapes after op: op(A) is m × k, op(B) is k × n, C is m × n.
  ///
  /// With `Parallel.ways` > 1 a product of at least `splitWork` multiply-adds per thread is split
  /// into blocks of C's rows (or, below 64 rows, of its at least 64 columns), one single-threaded
  /// sgemm per thread. Each element of C is then the same sum in the same order as in one call:
  /// OpenBLAS blocks and orders the k loop by k alone. The exception is its small-matrix kernels
  /// (SkylakeX, m·n·k up to about 10^6), which sum in another order; a product is split only when
  /// every part stays above them. Checked bit for bit with OpenBLAS 0.3.21's SkylakeX kernels on
  /// 2,653 random shapes, transposes and betas (a standalone C check) and on 160 random draws in
  /// `BLASSplitTests`.
  @inline(__always)
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    if m == 0 || n == 0 { return }
    if k == 0 {
      // BLAS leaves C untouched for k = 0 only when beta = 1; make beta = 0 mean "overwrite".
      if beta == 0 { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
      return
    }
    let parts = Parallel.ways
    guard parts > 1, m * n * k >= splitWork * parts, m >= 64 || n >= 64, !Parallel.isSplitting else {
      sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
      return
    }
    if m >= 64 {
      Parallel.forEachRange(m) { rows in
        let aStart = transposeA ? a + rows.lowerBound : a + rows.lowerBound * lda
        sgemm(transposeA, transposeB, rows.count, n, k, alpha, aStart, lda, b, ldb, beta, c + rows.lowerBound * ldc, ldc)
      }
    } else {
      Parallel.forEachRange(n) { cols in
        let bStart = transposeB ? b + cols.lowerBound * ldb : b + cols.lowerBound
        sgemm(transposeA, transposeB, m, cols.count, k, alpha, a, lda, bStart, ldb, beta, c + cols.lowerBound, ldc)
      }
    }
  }

  /// The multiply-adds each part of a split product has at least: 2^22, four times the largest
  /// product OpenBLAS's small-matrix kernels take, and about 0.1 ms of work, far above what
  /// handing a part to another thread costs.
  public static let splitWork = 1 << 22

  @inline(__always)
  static func sgemm(
    _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
    _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
    _ c: UnsafeMutablePointer<Float>, _ ldc: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  /// Threads for Loom's work: `Parallel.ways`. OpenBLAS itself stays at one thread (see
  /// `Parallel`); `OPENBLAS_NUM_THREADS` still gives the starting value.
  public static var threads: Int {
    get { Parallel.ways }
    set { Parallel.ways = newValue }
  }

  /// Σ x_i y_i
  @inline(__always)
  public static func dot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
    cblas_sdot(Int32(n), x, 1, y, 1)
  }
}
