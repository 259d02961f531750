import LoomTensor

/// The recurrence of a GRU layer over time, fused into one op because a graph of per-step
/// primitives would run ~20 small ops per step (speed); the input projections for all steps are
/// one matrix product done before it (`x·W_ih + b_ih`, shape `[B, T, 3H]`).
///
/// Gate order r, z, n (as in PyTorch). With gh = h_{t−1}·W_hh + b_hh:
///   r_t = σ(x_r + gh_r)
///   z_t = σ(x_z + gh_z)
///   n_t = tanh(x_n + r_t ⊙ gh_n)
///   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1},   h_{−1} = 0
/// Where `mask[b, t]` is 0 (padding) the state carries over unchanged, h_t = h_{t−1}: left
/// padding leaves the state at zero until the first real step, right padding holds the last real
/// state to the end, so the last step's state is the sequence's final state either way.
///
/// Inputs: xproj `[B, T, 3H]`, W_hh `[H, 3H]`, b_hh `[3H]`, mask `[B, T]`. Output `[B, T, H]`.
/// Scratch: per step r, z, n and gh_n (`[B, T, 4H]`), plus per-step work rows.
public struct GRUScan: Op {
  public init() {}
  public var name: String { "gru scan" }

  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    guard s[0].rank == 3, s[0][2] % 3 == 0 else { throw ShapeError(name, s, "projections must be [B, T, 3H]") }
    let h = s[0][2] / 3
    guard s[1] == [h, 3 * h], s[2] == [3 * h], s[3] == [s[0][0], s[0][1]] else {
      throw ShapeError(name, s, "expected W_hh [\(h), \(3 * h)], b_hh [\(3 * h)], mask [B, T]")
    }
    return [s[0][0], s[0][1], h]
  }

  /// One [B, H]·[H, 3H] product per step.
  public func matmulFLOPs(inputs: [Shape], output: Shape) -> Double {
    2 * Double(output[0]) * Double(output[1]) * Double(output[2]) * Double(3 * output[2])
  }

  public func scratchCount(inputs: [Shape], output: Shape) -> Int {
    let (b, t, h) = (output[0], output[1], output[2])
    return b * t * 4 * h + 2 * b * 3 * h + 3 * b * h
  }

  /// Scratch regions: gates, gh (forward) / dgh (backward), a zero initial state, two carries.
  func regions(_ io: OpIO) -> (
    gates: UnsafeMutablePointer<Float>, work: UnsafeMutablePointer<Float>,
    zero: UnsafeMutablePointer<Float>, carry: UnsafeMutablePointer<Float>, next: UnsafeMutablePointer<Float>
  ) {
    let (b, t, h) = (io.outputShape[0], io.outputShape[1], io.outputShape[2])
    let gates = io.scratch
    let work = gates + b * t * 4 * h
    let zero = work + 2 * b * 3 * h
    return (gates, work, zero, zero + b * h, zero + 2 * b * h)
  }

  /// h_{t−1} for all rows and its leading dimension.
  @inline(__always)
  func previous(_ io: OpIO, _ t: Int, _ zero: UnsafeMutablePointer<Float>) -> (UnsafeMutablePointer<Float>, Int) {
    let (steps, h) = (io.outputShape[1], io.outputShape[2])
    return t == 0 ? (zero, h) : (io.output + (t - 1) * h, steps * h)
  }

  public func forward(_ io: OpIO, _ run: RunState) {
    let (batch, steps, h) = (io.outputShape[0], io.outputShape[1], io.outputShape[2])
    let (x, w, bias, mask) = (io.inputs[0], io.inputs[1], io.inputs[2], io.inputs[3])
    let s = regions(io)
    s.zero.update(repeating: 0, count: batch * h)
    let gh = s.work
    for t in 0..<steps {
      let (hp, ldp) = previous(io, t, s.zero)
      BLAS.gemm(
        transposeA: false, transposeB: false, m: batch, n: 3 * h, k: h,
        a: hp, lda: ldp, b: w, ldb: 3 * h, beta: 0, c: gh, ldc: 3 * h)
      // Rows are independent within a step: split over threads (the product above splits itself).
      Parallel.forEachRows(batch, of: 4 * h) { rows in
        for b in rows {
          let row = b * steps + t
          let (hpr, out) = (hp + b * ldp, io.output + row * h)
          if mask[row] <= 0 {
            out.update(from: hpr, count: h)
            continue
          }
          let (xr, g, gates) = (x + row * 3 * h, gh + b * 3 * h, s.gates + row * 4 * h)
          // Straight passes over contiguous runs, which the optimiser vectorises (one fused loop
          // writing five arrays did not): r and z together, gh_n, then n, then h_t. Offsets
          // into the rows are taken outside the loops: an index like `2 * h + j` is an
          // overflow-checked sum in every iteration, and its trap kept loops scalar.
          // The last two read and write parts of the same rows (gates, output), which the
          // vectoriser leaves scalar: they are written eight lanes at a time (`VectorKernels`).
          for j in 0..<(2 * h) { gates[j] = Kernels.sigmoid(xr[j] + g[j] + bias[j]) }
          let (hn, n, z) = (gates + 3 * h, gates + 2 * h, gates + h)
          let (xn, gn, bn) = (xr + 2 * h, g + 2 * h, bias + 2 * h)
          for j in 0..<h { hn[j] = gn[j] + bn[j] }
          let vectorEnd = h - h % 8
          for j in stride(from: 0, to: vectorEnd, by: 8) {
            let (xv, rv, hnv) = (Kernels.load(xn + j), Kernels.load(gates + j), Kernels.load(hn + j))
            let nv = Kernels.tanh(xv + rv * hnv)
            Kernels.store(nv, n + j)
            Kernels.store(nv + Kernels.load(z + j) * (Kernels.load(hpr + j) - nv), out + j)
          }
          for j in vectorEnd..<h {
            n[j] = Kernels.tanh(xn[j] + gates[j] * hn[j])
            out[j] = n[j] + z[j] * (hpr[j] - n[j])
          }
        }
      }
    }
  }

  /// Backpropagation through time. For a real step, with dh = dy_t + (carry from t + 1):
  ///   dn = dh(1 − z), dz = dh(h_{t−1} − n), dn̂ = dn(1 − n²), dgh_n = dn̂ ⊙ r,
  ///   dr̂ = dn̂ ⊙ gh_n ⊙ r(1 − r), dẑ = dz ⊙ z(1 − z);
  ///   dxproj = [dr̂, dẑ, dn̂], dgh = [dr̂, dẑ, dgh_n], dW_hh += h_{t−1}ᵀ·dgh, db_hh += Σ dgh,
  ///   carry = dh ⊙ z + dgh·W_hhᵀ. A padding step passes dh through as the carry.
  /// dxproj is written for every row (zeros at padding steps); W_hh's and b_hh's gradients are
  /// sums over steps and keep adding.
  public func overwritesGradient(of i: Int, inputs: [Shape]) -> Bool { i == 0 }

  public func backward(_ io: OpIO, _ run: RunState) {
    let (batch, steps, h) = (io.outputShape[0], io.outputShape[1], io.outputShape[2])
    let overwrite = io.overwrites[0]
    let (w, mask, dy) = (io.inputs[1], io.inputs[3], io.outputGrad)
    let s = regions(io)
    let dgh = s.work
    var (carry, next) = (s.carry, s.next)
    carry.update(repeating: 0, count: batch * h)
    s.zero.update(repeating: 0, count: batch * h)
    for t in stride(from: steps - 1, through: 0, by: -1) {
      let (hp, ldp) = previous(io, t, s.zero)
      Parallel.forEachRows(batch, of: 8 * h) { rows in
        for b in rows {
          let row = b * steps + t
          let (dh0, c, nx, dg) = (dy + row * h, carry + b * h, next + b * h, dgh + b * 3 * h)
          let dx = io.inputGrads[0].map { $0 + row * 3 * h }
          if mask[row] <= 0 {
            for j in 0..<h { nx[j] = dh0[j] + c[j] }
            dg.update(repeating: 0, count: 3 * h)
            if overwrite, let dx { dx.update(repeating: 0, count: 3 * h) }
            continue
          }
          let (gates, hpr) = (s.gates + row * 4 * h, hp + b * ldp)
          let (gr, gz, gn, ghn) = (gates, gates + h, gates + 2 * h, gates + 3 * h)
          let (dgr, dgz, dgn) = (dg, dg + h, dg + 2 * h)
          // dx's part is [dr̂, dẑ, dn̂], dgh's [dr̂, dẑ, dn̂ ⊙ r]: the loop writes the first into
          // dgh's row, dx takes it whole, then dgh's third part is multiplied by r. Row offsets
          // are taken outside the loops (an overflow-checked index like `2 * h + j` kept them
          // scalar) and the loop that writes three parts of dgh's row runs eight lanes at a time
          // (the vectoriser cannot tell those parts apart; `VectorKernels`).
          let vectorEnd = h - h % 8
          for j in stride(from: 0, to: vectorEnd, by: 8) {
            let dh = Kernels.load(dh0 + j) + Kernels.load(c + j)
            let (r, z, n, hn) = (Kernels.load(gr + j), Kernels.load(gz + j), Kernels.load(gn + j), Kernels.load(ghn + j))
            let dnHat = dh * (1 - z) * (1 - n * n)
            Kernels.store(dnHat * hn * r * (1 - r), dgr + j)
            Kernels.store(dh * (Kernels.load(hpr + j) - n) * z * (1 - z), dgz + j)
            Kernels.store(dnHat, dgn + j)
            Kernels.store(dh * z, nx + j)
          }
          for j in vectorEnd..<h {
            let dh = dh0[j] + c[j]
            let (r, z, n, hn) = (gr[j], gz[j], gn[j], ghn[j])
            let dnHat = dh * (1 - z) * (1 - n * n)
            dgr[j] = dnHat * hn * r * (1 - r)
            dgz[j] = dh * (hpr[j] - n) * z * (1 - z)
            dgn[j] = dnHat
            nx[j] = dh * z
          }
          if let dx { Kernels.accumulate(dg, into: dx, 3 * h, overwrite: overwrite) }
          for j in 0..<h { dgn[j] = dgn[j] * gr[j] }
        }
      }
      // W_hh's and b_hh's gradients, and the carry: independent, and on two threads they run
      // side by side as whole calls, as on one thread (see MatMul.backward); more threads split
      // each instead.
      let weightGradients = {
        if let dw = io.inputGrads[1] {
          BLAS.gemm(
            transposeA: true, transposeB: false, m: h, n: 3 * h, k: batch,
            a: hp, lda: ldp, b: dgh, ldb: 3 * h, beta: 1, c: dw, ldc: 3 * h)
        }
        if let db = io.inputGrads[2] { Kernels.accumulateRows(dgh, rows: batch, 3 * h, into: db) }
      }
      let carryGradient = {
        BLAS.gemm(
          transposeA: false, transposeB: true, m: batch, n: h, k: 3 * h,
          a: dgh, lda: 3 * h, b: w, ldb: 3 * h, beta: 1, c: next, ldc: h)
      }
      if Parallel.ways == 2 {
        Parallel.sideBySide(worthSplitting: batch * 3 * h * h >= BLAS.splitWork, weightGradients, carryGradient)
      } else {
        weightGradients()
        carryGradient()
      }
      swap(&carry, &next)
    }
  }
}
