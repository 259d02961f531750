import LoomTensor
import Testing

@testable import LoomGraph

/// Layer norm's eight-rows-at-a-time sums give the bits of one row at a time: output, dx
/// (stored and added), dγ and dβ against the equations written out row by row here, with a
/// row count that leaves rows after the last block of eight, on one and on two threads.
struct LayerNormBitsTests {
  @Test(arguments: [(21, 37), (333, 100), (5, 8)])  // 333 × 100 splits over two threads
  func blocksOfEightRowsGiveTheBitsOfOneRow(rows: Int, d: Int) {
    var random = SeededRandom(seed: UInt64(rows * d))
    let x = randomValues(rows * d, &random, scale: 3).map { $0 + 0.5 }
    let gain = randomValues(d, &random)
    let shift = randomValues(d, &random)
    let dy = randomValues(rows * d, &random)
    let oldDx = randomValues(rows * d, &random)
    let epsilon: Float = 1e-8
    let invD = 1 / Float(d)
    // The reference, one row at a time.
    var (y, dxStored, dxAdded) = ([Float](repeating: 0, count: rows * d), [Float](repeating: 0, count: rows * d), oldDx)
    var (dg, db) = ([Float](repeating: 0, count: d), [Float](repeating: 0, count: d))
    for r in 0..<rows {
      var mean: Float = 0
      for j in 0..<d { mean += x[r * d + j] }
      mean *= invD
      var variance: Float = 0
      for j in 0..<d {
        let c = x[r * d + j] - mean
        variance += c * c
      }
      let rstd = 1 / (variance * invD + epsilon).squareRoot()
      for j in 0..<d { y[r * d + j] = (x[r * d + j] - mean) * rstd * gain[j] + shift[j] }
      var meanG: Float = 0
      var meanGX: Float = 0
      for j in 0..<d {
        let gh = dy[r * d + j] * gain[j]
        meanG += gh
        meanGX += gh * (x[r * d + j] - mean) * rstd
      }
      meanG *= invD
      meanGX *= invD
      for j in 0..<d {
        let value = rstd * (dy[r * d + j] * gain[j] - meanG - (x[r * d + j] - mean) * rstd * meanGX)
        dxStored[r * d + j] = value
        dxAdded[r * d + j] += value
        dg[j] += dy[r * d + j] * (x[r * d + j] - mean) * rstd
        db[j] += dy[r * d + j]
      }
    }
    for ways in [1, 2] {
      for overwrite in [true, false] {
        let op = LayerNorm(epsilon: epsilon)
        var (px, pg, pb, pdy) = (x, gain, shift, dy)
        var out = [Float](repeating: 0, count: rows * d)
        var scratch = [Float](repeating: 0, count: op.scratchCount(inputs: [[rows, d], [d], [d]], output: [rows, d]))
        var dx = overwrite ? [Float](repeating: 9, count: rows * d) : oldDx
        var (ddg, ddb) = ([Float](repeating: 0, count: d), [Float](repeating: 0, count: d))
        Parallel.withWays(ways) {
          px.withUnsafeMutableBufferPointer { px in
            pg.withUnsafeMutableBufferPointer { pg in
              pb.withUnsafeMutableBufferPointer { pb in
                pdy.withUnsafeMutableBufferPointer { pdy in
                  out.withUnsafeMutableBufferPointer { out in
                    scratch.withUnsafeMutableBufferPointer { scratch in
                      dx.withUnsafeMutableBufferPointer { dx in
                        ddg.withUnsafeMutableBufferPointer { ddg in
                          ddb.withUnsafeMutableBufferPointer { ddb in
                            let io = OpIO(
                              inputs: [px.baseAddress!, pg.baseAddress!, pb.baseAddress!], inputShapes: [[rows, d], [d], [d]],
                              output: out.baseAddress!, outputShape: [rows, d], scratch: scratch.baseAddress!,
                              outputGrad: pdy.baseAddress!, inputGrads: [dx.baseAddress!, ddg.baseAddress!, ddb.baseAddress!],
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
        let label = "rows \(rows), d \(d), threads \(ways), overwrite \(overwrite)"
        #expect(out.map(\.bitPattern) == y.map(\.bitPattern), "y, \(label)")
        #expect(dx.map(\.bitPattern) == (overwrite ? dxStored : dxAdded).map(\.bitPattern), "dx, \(label)")
        #expect(ddg.map(\.bitPattern) == dg.map(\.bitPattern), "dγ, \(label)")
        #expect(ddb.map(\.bitPattern) == db.map(\.bitPattern), "dβ, \(label)")
      }
    }
  }
}
