import LoomTensor

/// Matrix product on BLAS, with either operand transposed.
///
/// Two forms:
/// - `a [..., K] · b [K, N] → [..., N]`: a's leading axes are flattened into rows (a linear map
///   over every position of a sequence batch is one sgemm). With `transposeA`, a is `[K, M]`.
/// - batched: `a [S..., M, K] · b [S..., K, N] → [S..., M, N]`, one sgemm per leading index
///   (attention scores and weighted sums).
/// Transposes apply to the last two axes: with `transposeB`, b is `[..., N, K]`.
public struct MatMul: Op {
  public var transposeA: Bool
  public var transposeB: Bool
  /// C = scale · op(A)·op(B): attention's 1/√d rides on sgemm's alpha for free.
  public var scale: Float
  public init(transposeA: Bool = false, transposeB: Bool = false, scale: Float = 1) {
    self.transposeA = transposeA
    self.transposeB = transposeB
    self.scale = scale
  }

  public var name: String { "matmul" }
  public var detail: String {
    [transposeA ? "transposeA" : nil, transposeB ? "transposeB" : nil, scale != 1 ? "scale=\(scale)" : nil]
      .compactMap { $0 }.joined(separator: ", ")
  }

  public func matmulFLOPs(inputs: [Shape], output: Shape) -> Double {
    guard let d = try? dims(inputs[0], inputs[1]) else { return 0 }
    return 2 * Double(d.batch) * Double(d.m) * Double(d.n) * Double(d.k)
  }

  /// Sizes of one product: batch count and m, n, k after the transposes.
  struct Dims {
    var batch, m, n, k: Int

    /// Runs `body` for every product of a batch, split over `Parallel.ways` threads when the
    /// batch has 2^22 multiply-adds in all. The products are independent (each its own slices of A, B and C, and
    /// of dA and dB), so any split gives the same values. A single product splits itself
    /// (`BLAS.gemm`).
    func forEachProduct(_ body: (Int) -> Void) {
      let worth = batch > 1 && batch * m * n * k >= BLAS.splitWork
      Parallel.forEachRange(batch, worthSplitting: worth) { range in
        for s in range { body(s) }
      }
    }
  }

  func dims(_ a: Shape, _ b: Shape) throws(ShapeError) -> Dims {
    let fail = { (why: String) in ShapeError(name, [a, b], why) }
    guard a.rank >= 2 || (a.rank == 1 && !transposeA), b.rank >= 2 else {
      throw fail("both operands need at least two axes")
    }
    let bRows = b[-2]
    let bCols = b[-1]
    let (bk, n) = transposeB ? (bCols, bRows) : (bRows, bCols)
    if b.rank == 2 {
      if transposeA {
        guard a.rank == 2 else { throw fail("transposeA needs a matrix, not rank \(a.rank)") }
        guard a[0] == bk else { throw fail("inner dimensions \(a[0]) != \(bk)") }
        return Dims(batch: 1, m: a[1], n: n, k: bk)
      }
      guard a.last == bk else { throw fail("inner dimensions \(a.last) != \(bk)") }
      return Dims(batch: 1, m: a.rows, n: n, k: bk)
    }
    guard a.rank == b.rank, a.dims.dropLast(2) == b.dims.dropLast(2) else {
      throw fail("batched operands need the same leading axes")
    }
    let (m, ak) = transposeA ? (a[-1], a[-2]) : (a[-2], a[-1])
    guard ak == bk else { throw fail("inner dimensions \(ak) != \(bk)") }
    return Dims(batch: a.dims.dropLast(2).reduce(1, *), m: m, n: n, k: bk)
  }

  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    let d = try dims(s[0], s[1])
    if s[1].rank == 2 { return transposeA ? [d.m, d.n] : s[0].withLast(d.n) }
    return Shape(s[0].dims.dropLast(2) + [d.m, d.n])
  }

  /// The sizes of a compiled node's product: its shapes passed `outputShape` when the node was
  /// added, so they cannot fail here.
  func checkedDims(_ io: OpIO) -> Dims {
    guard let d = try? dims(io.inputShapes[0], io.inputShapes[1]) else {
      preconditionFailure("matmul: \(io.inputShapes) passed outputShape when the node was added")
    }
    return d
  }

  public func forward(_ io: OpIO, _ run: RunState) {
    let d = checkedDims(io)
    let (a, b, c) = (io.inputs[0], io.inputs[1], io.output)
    let lda = transposeA ? d.m : d.k
    let ldb = transposeB ? d.k : d.n
    let bStride = io.inputShapes[1].rank == 2 ? 0 : d.k * d.n
    d.forEachProduct { s in
      BLAS.gemm(
        transposeA: transposeA, transposeB: transposeB, m: d.m, n: d.n, k: d.k, alpha: scale,
        a: a + s * d.m * d.k, lda: lda, b: b + s * bStride, ldb: ldb, beta: 0, c: c + s * d.m * d.n, ldc: d.n)
    }
  }

  /// Both gradients are whole products: a first writer passes β = 0 instead of 1 (BLAS then
  /// does not read C), which is the same as adding into zeros.
  public func overwritesGradient(of i: Int, inputs: [Shape]) -> Bool { true }

  /// For C = op(A)·op(B): dop(A) = dC·op(B)ᵀ and dop(B) = op(A)ᵀ·dC, written back in each
  /// operand's stored layout.
  ///
  /// A single product whose two gradients are both wanted (a linear layer over a batch of
  /// positions, `[12800, 100] · [100, 512]`) runs them side by side on two threads, each one
  /// unsplit sgemm: the two cost the same multiply-adds (m·n·k each), and the weight's gradient,
  /// m·n small and k long (`[100, 12800] · [12800, 512]`), scales badly when its rows are split
  /// (both threads pack all of dC: 1.4× on two threads in a standalone C check, against 2.0×
  /// for the pair side by side). Each gradient is then the one-thread call itself, the same
  /// bits. With more than two threads each product is split instead, to use them all.
  public func backward(_ io: OpIO, _ run: RunState) {
    let d = checkedDims(io)
    let (betaA, betaB): (Float, Float) = (io.overwrites[0] ? 0 : 1, io.overwrites[1] ? 0 : 1)
    let (a, b, dc) = (io.inputs[0], io.inputs[1], io.outputGrad)
    let lda = transposeA ? d.m : d.k
    let ldb = transposeB ? d.k : d.n
    let shared = io.inputShapes[1].rank == 2
    if d.m == 1, d.n == 1, scale == 1, !shared {
      dotProductsBackward(io, d)
      return
    }
    let bStride = shared ? 0 : d.k * d.n
    func gradientA(_ s: Int) {
      guard let da = io.inputGrads[0] else { return }
      let (bS, dcS, daS) = (b + s * bStride, dc + s * d.m * d.n, da + s * d.m * d.k)
      if !transposeA {  // dA [m,k] += dC [m,n] · op(B)ᵀ
        BLAS.gemm(
          transposeA: false, transposeB: !transposeB, m: d.m, n: d.k, k: d.n, alpha: scale,
          a: dcS, lda: d.n, b: bS, ldb: ldb, beta: betaA, c: daS, ldc: d.k)
      } else {  // dA [k,m] += op(B) · dCᵀ
        BLAS.gemm(
          transposeA: transposeB, transposeB: true, m: d.k, n: d.m, k: d.n, alpha: scale,
          a: bS, lda: ldb, b: dcS, ldb: d.n, beta: betaA, c: daS, ldc: d.m)
      }
    }
    func gradientB(_ s: Int) {
      guard let db = io.inputGrads[1] else { return }
      let (aS, dcS, dbS) = (a + s * d.m * d.k, dc + s * d.m * d.n, db + s * bStride)
      if !transposeB {  // dB [k,n] += op(A)ᵀ · dC
        BLAS.gemm(
          transposeA: !transposeA, transposeB: false, m: d.k, n: d.n, k: d.m, alpha: scale,
          a: aS, lda: lda, b: dcS, ldb: d.n, beta: betaB, c: dbS, ldc: d.n)
      } else {  // dB [n,k] += dCᵀ · op(A)
        BLAS.gemm(
          transposeA: true, transposeB: transposeA, m: d.n, n: d.k, k: d.m, alpha: scale,
          a: dcS, lda: d.n, b: aS, ldb: lda, beta: betaB, c: dbS, ldc: d.k)
      }
    }
    if d.batch == 1, io.inputGrads[0] != nil, io.inputGrads[1] != nil, Parallel.ways == 2 {
      Parallel.sideBySide(worthSplitting: d.m * d.n * d.k >= BLAS.splitWork, { gradientA(0) }, { gradientB(0) })
      return
    }
    d.forEachProduct { s in
      gradientA(s)
      gradientB(s)
    }
  }

  /// The backward pass of a batch of dot products, c_s = a_s · b_s (m = n = 1: the scores of
  /// BCE and BPR objectives, one per position, `[rows, 1, d] · [rows, d, 1]`): da_s = dc_s · b_s
  /// and db_s = dc_s · a_s, each value one product. Through BLAS that was two sgemm calls of a
  /// few hundred multiply-adds per row, 25,600 calls a MIN batch, 0.12 s of its epoch spent
  /// mostly in call and packing overhead. Each value is the same single rounded product (plus
  /// the old value where the buffer accumulates) that sgemm computes with inner size 1, so the
  /// gradients are the same bits; `OpValueTests` compares the two. With m = n = 1 the
  /// transposes do not move anything: a_s and b_s are contiguous either way.
  func dotProductsBackward(_ io: OpIO, _ d: Dims) {
    let (a, b, dc, k) = (io.inputs[0], io.inputs[1], io.outputGrad, d.k)
    for (i, other) in [(0, b), (1, a)] {
      guard let grad = io.inputGrads[i] else { continue }
      let overwrite = io.overwrites[i]
      Parallel.forEachRange(d.batch, worthSplitting: d.batch * k >= Parallel.minimumValues) { products in
        for s in products {
          let (g, o, v) = (grad + s * k, other + s * k, dc[s])
          if overwrite {
            for j in 0..<k { g[j] = v * o[j] }
          } else {
            for j in 0..<k { g[j] += v * o[j] }
          }
        }
      }
    }
  }
}
