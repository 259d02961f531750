import CBLAS

/// The one place that calls OpenBLAS. Every matrix product in Loom goes through `gemm`.
///
/// Row-major throughout: a matrix of `rows × cols` has leading dimension `cols` unless a view says
/// otherwise.
public enum BLAS {
  /// C = alpha · op(A) · op(B) + beta · C, with op(X) = X or Xᵀ.
  /// Shapes after op: op(A) is m × k, op(B) is k × n, C is m × n.
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
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  /// Number of threads OpenBLAS uses for each call. A setting everywhere in Loom: on two busy
  /// shared cores two threads can be slower than one (platform notes). Changing it while another
  /// thread is inside a BLAS call is unsafe (OpenBLAS rebuilds its thread pool), so setting the
  /// value it already has does nothing; set it before work starts (`OPENBLAS_NUM_THREADS` works too).
  public static var threads: Int {
    get { Int(openblas_get_num_threads()) }
    set {
      let wanted = Int32(max(1, newValue))
      if openblas_get_num_threads() != wanted { openblas_set_num_threads(wanted) }
    }
  }

  /// Σ x_i y_i
  @inline(__always)
  public static func dot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
    cblas_sdot(Int32(n), x, 1, y, 1)
  }
}
