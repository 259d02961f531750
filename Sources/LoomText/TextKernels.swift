import LoomTensor

/// The elementwise parts of BERT's forward pass over raw rows, written to vectorise (straight
/// loops over pointers, selects instead of branches, sums with eight running totals): with the
/// matrix products in OpenBLAS, these loops are what is left on one core.
enum TextKernels {
  /// erf x by Abramowitz & Stegun 7.1.26: 1 − (a₁t + a₂t² + a₃t³ + a₄t⁴ + a₅t⁵)·e^{−x²} with
  /// t = 1 / (1 + p|x|), odd in x; absolute error ≤ 1.5e-7, about Float32's resolution near 1.
  /// Unlike libm's erff it is a polynomial and `Kernels.exp`, so loops over it vectorise.
  @inline(__always)
  static func erf(_ x: Float) -> Float {
    let a = abs(x)
    let t = 1 / (1 + 0.327_591_1 * a)
    var p: Float = 1.061_405_429
    p = p * t - 1.453_152_027
    p = p * t + 1.421_413_741
    p = p * t - 0.284_496_736
    p = p * t + 0.254_829_592
    let y = 1 - p * t * Kernels.exp(-a * a)
    return x < 0 ? -y : y
  }

  /// In place over `rows × cols`: x ← GELU(x + b) = ½ (x + b)(1 + erf((x + b)/√2)), the exact
  /// (erf) GELU of BERT (Hendrycks & Gimpel 2016), b broadcast over rows.
  static func addBiasGELU(_ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int, bias: UnsafePointer<Float>) {
    for r in 0..<rows {
      let row = x + r * cols
      for j in 0..<cols {
        let v = row[j] + bias[j]
        row[j] = 0.5 * v * (1 + erf(v * 0.707_106_77))
      }
    }
  }

  /// Σ (x_i − m)², eight running totals.
  @inline(__always)
  static func sumOfSquares(_ x: UnsafePointer<Float>, _ n: Int, minus m: Float) -> Float {
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
      let d0 = x[j] - m
      let d1 = x[j + 1] - m
      let d2 = x[j + 2] - m
      let d3 = x[j + 3] - m
      let d4 = x[j + 4] - m
      let d5 = x[j + 5] - m
      let d6 = x[j + 6] - m
      let d7 = x[j + 7] - m
      a0 += d0 * d0
      a1 += d1 * d1
      a2 += d2 * d2
      a3 += d3 * d3
      a4 += d4 * d4
      a5 += d5 * d5
      a6 += d6 * d6
      a7 += d7 * d7
      j += 8
    }
    var total = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
    while j < n {
      total += (x[j] - m) * (x[j] - m)
      j += 1
    }
    return total
  }

  /// One row: y = γ ⊙ (x − μ) / √(σ² + ε) + β, with μ and σ² the row's mean and (biased)
  /// variance (Ba et al. 2016). `y` may be `x`.
  @inline(__always)
  static func layerNorm(
    _ x: UnsafePointer<Float>, _ n: Int, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float,
    into y: UnsafeMutablePointer<Float>
  ) {
    let mean = Kernels.sum(x, n) / Float(n)
    let variance = sumOfSquares(x, n, minus: mean) / Float(n)
    let scale = 1 / (variance + epsilon).squareRoot()
    for j in 0..<n { y[j] = (x[j] - mean) * scale * gamma[j] + beta[j] }
  }

  /// BERT's "add & norm" after each sublayer, over `rows × cols`:
  /// x ← LayerNorm(h + b + x), h being the sublayer's product (overwritten on the way).
  static func addBiasResidualLayerNorm(
    _ h: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, residual x: UnsafeMutablePointer<Float>,
    rows: Int, cols: Int, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float
  ) {
    for r in 0..<rows {
      let hr = h + r * cols
      let xr = x + r * cols
      for j in 0..<cols { hr[j] += bias[j] + xr[j] }
      layerNorm(hr, cols, gamma: gamma, beta: beta, epsilon: epsilon, into: xr)
    }
  }

  /// A row of attention scores becomes probabilities: p_j = e^{s_j − max s} / Σ_k e^{s_k − max s}.
  /// `buffer` holds n floats.
  @inline(__always)
  static func softmax(_ row: UnsafeMutablePointer<Float>, _ n: Int, buffer: UnsafeMutablePointer<Float>) {
    let top = Kernels.maximum(row, n)
    let total = Kernels.sumOfExp(row, n, minus: top, buffer: buffer)
    let scale = 1 / total
    for j in 0..<n { row[j] = buffer[j] * scale }
  }
}
