import LoomTensor

/// Layer normalisation over the last axis: y = γ ⊙ (x − μ) / √(σ² + ε) + β.
/// Inputs x [..., D], γ [D], β [D]. Scratch keeps μ and 1/√(σ² + ε) per row for backward:
/// dx = r · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂)) with ĝ = dy ⊙ γ, x̂ the normalised input.
public struct LayerNorm: Op {
  public var epsilon: Float
  public init(epsilon: Float = 1e-8) { self.epsilon = epsilon }
  public var name: String { "layernorm" }

  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    let d = s[0].last
    guard s[1] == [d], s[2] == [d] else { throw ShapeError(name, s, "gain and bias must be [\(d)]") }
    return s[0]
  }
  public func scratchCount(inputs: [Shape], output: Shape) -> Int { 2 * output.rows }

  /// Each row's mean and variance are sums over the row in order; rows go in blocks of eight
  /// whose sums run side by side, one row per lane (`EightRows`), since a single row's sum waits
  /// on each addition in turn. Every row gets the bits of its own sum; the rows left after the
  /// last block go one at a time.
  public func forward(_ io: OpIO, _ run: RunState) {
    let d = io.outputShape.last
    let rows = io.outputShape.rows
    let (x, g, b, y, stats) = (io.inputs[0], io.inputs[1], io.inputs[2], io.output, io.scratch)
    let invD = 1 / Float(d)
    Parallel.forEachRows(rows, of: d) { part in
      var r = part.lowerBound
      while r + 8 <= part.upperBound {
        let block = EightRows(x + r * d, stride: d)
        var sum = Kernels.Vector(repeating: 0)
        for j in 0..<d { sum += block[j] }
        let mean = sum * invD
        var squares = Kernels.Vector(repeating: 0)
        for j in 0..<d {
          let c = block[j] - mean
          squares += c * c
        }
        let rstd = 1 / (squares * invD + epsilon).squareRoot()
        for lane in 0..<8 { normalise(row: r + lane, mean: mean[lane], rstd: rstd[lane]) }
        r += 8
      }
      while r < part.upperBound {
        let xr = x + r * d
        var mean: Float = 0
        for j in 0..<d { mean += xr[j] }
        mean *= invD
        var variance: Float = 0
        for j in 0..<d {
          let c = xr[j] - mean
          variance += c * c
        }
        normalise(row: r, mean: mean, rstd: 1 / (variance * invD + epsilon).squareRoot())
        r += 1
      }
    }

    /// Keeps the row's statistics for backward and writes y.
    func normalise(row r: Int, mean: Float, rstd: Float) {
      stats[2 * r] = mean
      stats[2 * r + 1] = rstd
      let (xr, yr) = (x + r * d, y + r * d)
      for j in 0..<d { yr[j] = (xr[j] - mean) * rstd * g[j] + b[j] }
    }
  }

  /// dx is whole, row by row; γ's and β's gradients are sums over rows and keep adding.
  public func overwritesGradient(of i: Int, inputs: [Shape]) -> Bool { i == 0 }
  public func backward(_ io: OpIO, _ run: RunState) {
    let d = io.outputShape.last
    let rows = io.outputShape.rows
    // Two independent tasks, run side by side on two threads: γ's and β's gradients, which
    // sum over all rows in order, and dx, row by row. (Splitting the sums by columns instead
    // read every row twice and was slower than one thread.)
    Parallel.sideBySide(
      worthSplitting: rows * d >= Parallel.minimumValues,
      { parameterGradients(io, rows: rows, d) }, { inputGradient(io, rows: rows, d) })
  }

  /// dγ += Σ_r dy_r ⊙ x̂_r and dβ += Σ_r dy_r, rows in order.
  func parameterGradients(_ io: OpIO, rows: Int, _ d: Int) {
    let (x, dy, stats) = (io.inputs[0], io.outputGrad, io.scratch)
    let (dg, db) = (io.inputGrads[1], io.inputGrads[2])
    guard dg != nil || db != nil else { return }
    for r in 0..<rows {
      let (xr, gr) = (x + r * d, dy + r * d)
      let (mean, rstd) = (stats[2 * r], stats[2 * r + 1])
      if let dg { for j in 0..<d { dg[j] += gr[j] * (xr[j] - mean) * rstd } }
      if let db { for j in 0..<d { db[j] += gr[j] } }
    }
  }

  /// dx, each row on its own. Its two means over the row are sums in order, run eight rows at a
  /// time as in forward.
  func inputGradient(_ io: OpIO, rows: Int, _ d: Int) {
    let (x, g, dy, stats) = (io.inputs[0], io.inputs[1], io.outputGrad, io.scratch)
    let invD = 1 / Float(d)
    guard let dx = io.inputGrads[0] else { return }
    var r = 0
    while r + 8 <= rows {
      let (xs, dys) = (EightRows(x + r * d, stride: d), EightRows(dy + r * d, stride: d))
      let mean = EightRows(stats + 2 * r, stride: 2)[0]
      let rstd = EightRows(stats + 2 * r + 1, stride: 2)[0]
      var (meanG, meanGX) = (Kernels.Vector(repeating: 0), Kernels.Vector(repeating: 0))
      for j in 0..<d {
        let gh = dys[j] * g[j]
        meanG += gh
        meanGX += gh * (xs[j] - mean) * rstd
      }
      meanG *= invD
      meanGX *= invD
      for lane in 0..<8 { write(row: r + lane, meanG: meanG[lane], meanGX: meanGX[lane]) }
      r += 8
    }
    while r < rows {
      let (xr, gr) = (x + r * d, dy + r * d)
      let (mean, rstd) = (stats[2 * r], stats[2 * r + 1])
      var meanG: Float = 0
      var meanGX: Float = 0
      for j in 0..<d {
        let gh = gr[j] * g[j]
        meanG += gh
        meanGX += gh * (xr[j] - mean) * rstd
      }
      write(row: r, meanG: meanG * invD, meanGX: meanGX * invD)
      r += 1
    }

    /// dx_r = rstd · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂)), stored or added.
    func write(row r: Int, meanG: Float, meanGX: Float) {
      let (xr, gr, dr) = (x + r * d, dy + r * d, dx + r * d)
      let (mean, rstd) = (stats[2 * r], stats[2 * r + 1])
      if io.overwrites[0] {
        for j in 0..<d { dr[j] = rstd * (gr[j] * g[j] - meanG - (xr[j] - mean) * rstd * meanGX) }
      } else {
        for j in 0..<d { dr[j] += rstd * (gr[j] * g[j] - meanG - (xr[j] - mean) * rstd * meanGX) }
      }
    }
  }
}
