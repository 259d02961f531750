import LoomTensor
import Testing

@testable import LoomGraph

/// The GRU scan's eight-lane loops give the bits of the scalar recurrence they replaced: the
/// op's output and all three gradients against the equations written out one value at a time
/// here (the same scalar `Kernels` functions, the same products), with hidden sizes that leave
/// a tail after the last full eight lanes, padding steps, and a dx that adds as well as stores.
struct GRUScanBitsTests {
  @Test(arguments: [(5, 4, 37), (3, 6, 16), (2, 3, 5)])
  func vectorLoopsGiveTheScalarBits(batch: Int, steps: Int, h: Int) {
    var random = SeededRandom(seed: UInt64(h))
    let x = randomValues(batch * steps * 3 * h, &random, scale: 2)
    let w = randomValues(h * 3 * h, &random)
    let bias = randomValues(3 * h, &random)
    let mask: [Float] = (0..<(batch * steps)).map { $0 % 5 == 1 ? 0 : 1 }
    let dy = randomValues(batch * steps * h, &random)
    let oldDx = randomValues(batch * steps * 3 * h, &random)
    let reference = ScalarGRU(batch: batch, steps: steps, h: h, x: x, w: w, bias: bias, mask: mask)
    let (expectedDx, expectedDw, expectedDb) = reference.backward(dy: dy, dxStart: oldDx)
    for overwrite in [true, false] {
      let op = GRUScan()
      let shapes: [Shape] = [[batch, steps, 3 * h], [h, 3 * h], [3 * h], [batch, steps]]
      var (px, pw, pb, pm, pdy) = (x, w, bias, mask, dy)
      var y = [Float](repeating: 0, count: batch * steps * h)
      var scratch = [Float](repeating: 0, count: op.scratchCount(inputs: shapes, output: [batch, steps, h]))
      var dx = overwrite ? [Float](repeating: 7, count: oldDx.count) : oldDx
      var dw = [Float](repeating: 0, count: w.count)
      var db = [Float](repeating: 0, count: bias.count)
      px.withUnsafeMutableBufferPointer { px in
        pw.withUnsafeMutableBufferPointer { pw in
          pb.withUnsafeMutableBufferPointer { pb in
            pm.withUnsafeMutableBufferPointer { pm in
              pdy.withUnsafeMutableBufferPointer { pdy in
                y.withUnsafeMutableBufferPointer { y in
                  scratch.withUnsafeMutableBufferPointer { scratch in
                    dx.withUnsafeMutableBufferPointer { dx in
                      dw.withUnsafeMutableBufferPointer { dw in
                        db.withUnsafeMutableBufferPointer { db in
                          let io = OpIO(
                            inputs: [px.baseAddress!, pw.baseAddress!, pb.baseAddress!, pm.baseAddress!],
                            inputShapes: shapes, output: y.baseAddress!, outputShape: [batch, steps, h],
                            scratch: scratch.baseAddress!, outputGrad: pdy.baseAddress!,
                            inputGrads: [dx.baseAddress!, dw.baseAddress!, db.baseAddress!],
                            overwrites: [overwrite, false, false])
                          op.forward(io, RunState(training: true, seed: 1))
                          op.backward(io, RunState(training: true, seed: 1))
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
      let label = "batch \(batch), steps \(steps), h \(h), overwrite \(overwrite)"
      #expect(y.map(\.bitPattern) == reference.states.map(\.bitPattern), "states, \(label)")
      let dxExpected = overwrite ? expectedDx.stored : expectedDx.added
      #expect(dx.map(\.bitPattern) == dxExpected.map(\.bitPattern), "dx, \(label)")
      #expect(dw.map(\.bitPattern) == expectedDw.map(\.bitPattern), "dW_hh, \(label)")
      #expect(db.map(\.bitPattern) == expectedDb.map(\.bitPattern), "db_hh, \(label)")
    }
  }
}

/// The GRU recurrence of `GRUScan`'s doc comment, one value at a time.
struct ScalarGRU {
  let batch, steps, h: Int
  let x, w, bias, mask: [Float]
  /// r, z, n and gh_n per row and step, and the states.
  var gates: [Float] = []
  var states: [Float] = []

  init(batch: Int, steps: Int, h: Int, x: [Float], w: [Float], bias: [Float], mask: [Float]) {
    (self.batch, self.steps, self.h, self.x, self.w, self.bias, self.mask) = (batch, steps, h, x, w, bias, mask)
    gates = [Float](repeating: 0, count: batch * steps * 4 * h)
    states = [Float](repeating: 0, count: batch * steps * h)
    for t in 0..<steps {
      let previous = self.previous(t)
      let gh = product(previous, w, rows: batch, inner: h, columns: 3 * h)
      for b in 0..<batch {
        let row = b * steps + t
        guard mask[row] > 0 else {
          for j in 0..<h { states[row * h + j] = previous[b * h + j] }
          continue
        }
        for j in 0..<(2 * h) { gates[row * 4 * h + j] = Kernels.sigmoid(x[row * 3 * h + j] + gh[b * 3 * h + j] + bias[j]) }
        for j in 0..<h {
          let hn = gh[b * 3 * h + 2 * h + j] + bias[2 * h + j]
          let n = Kernels.tanh(x[row * 3 * h + 2 * h + j] + gates[row * 4 * h + j] * hn)
          let z = gates[row * 4 * h + h + j]
          gates[row * 4 * h + 3 * h + j] = hn
          gates[row * 4 * h + 2 * h + j] = n
          states[row * h + j] = n + z * (previous[b * h + j] - n)
        }
      }
    }
  }

  func previous(_ t: Int) -> [Float] {
    guard t > 0 else { return [Float](repeating: 0, count: batch * h) }
    return (0..<(batch * h)).map { states[($0 / h * steps + t - 1) * h + $0 % h] }
  }

  /// a [rows, inner] · b [inner, columns] (or with bᵀ given as [columns, inner]) through the same
  /// sgemm call shapes as the op, so the products are the same bits.
  func product(_ a: [Float], _ b: [Float], rows: Int, inner: Int, columns: Int, transposeB: Bool = false) -> [Float] {
    var c = [Float](repeating: 0, count: rows * columns)
    BLAS.gemm(
      transposeA: false, transposeB: transposeB, m: rows, n: columns, k: inner, a: a, lda: inner, b: b,
      ldb: transposeB ? inner : columns, beta: 0, c: &c, ldc: columns)
    return c
  }

  /// dx (stored into a fresh buffer, and added onto `dxStart`), dW_hh and db_hh for output
  /// gradient `dy`.
  func backward(dy: [Float], dxStart: [Float]) -> (dx: (stored: [Float], added: [Float]), dw: [Float], db: [Float]) {
    var stored = [Float](repeating: 0, count: dxStart.count)
    var added = dxStart
    var dw = [Float](repeating: 0, count: w.count)
    var db = [Float](repeating: 0, count: bias.count)
    var carry = [Float](repeating: 0, count: batch * h)
    for t in stride(from: steps - 1, through: 0, by: -1) {
      let previous = self.previous(t)
      var dgh = [Float](repeating: 0, count: batch * 3 * h)
      var next = [Float](repeating: 0, count: batch * h)
      for b in 0..<batch {
        let row = b * steps + t
        guard mask[row] > 0 else {
          for j in 0..<h { next[b * h + j] = dy[row * h + j] + carry[b * h + j] }
          continue
        }
        let g = row * 4 * h
        for j in 0..<h {
          let dh = dy[row * h + j] + carry[b * h + j]
          let (r, z, n, hn) = (gates[g + j], gates[g + h + j], gates[g + 2 * h + j], gates[g + 3 * h + j])
          let dnHat = dh * (1 - z) * (1 - n * n)
          dgh[b * 3 * h + j] = dnHat * hn * r * (1 - r)
          dgh[b * 3 * h + h + j] = dh * (previous[b * h + j] - n) * z * (1 - z)
          dgh[b * 3 * h + 2 * h + j] = dnHat
          next[b * h + j] = dh * z
        }
        for j in 0..<(3 * h) {
          stored[row * 3 * h + j] = dgh[b * 3 * h + j]
          added[row * 3 * h + j] += dgh[b * 3 * h + j]
        }
        for j in 0..<h { dgh[b * 3 * h + 2 * h + j] *= gates[g + j] }
      }
      // dW_hh += h_{t−1}ᵀ·dgh, db_hh += Σ_rows dgh, carry = next + dgh·W_hhᵀ, as the op's calls.
      BLAS.gemm(
        transposeA: true, transposeB: false, m: h, n: 3 * h, k: batch, a: previous, lda: h, b: dgh, ldb: 3 * h,
        beta: 1, c: &dw, ldc: 3 * h)
      for b in 0..<batch { for j in 0..<(3 * h) { db[j] += dgh[b * 3 * h + j] } }
      let back = product(dgh, w, rows: batch, inner: 3 * h, columns: h, transposeB: true)
      carry = (0..<(batch * h)).map { next[$0] + back[$0] }
    }
    return ((stored, added), dw, db)
  }
}
