import Foundation
import LoomTensor
import Testing

@testable import LoomGraph

/// Each op's forward values against a second, naive implementation written here.
struct OpValueTests {
  /// A batch of dot products (`[rows, 1, k] · [rows, k, 1]`, the BCE scores) differentiates
  /// without BLAS; its gradients are the bits that two sgemm calls per row gave, for every
  /// transpose, storing into a fresh buffer and adding into one that holds values.
  @Test func dotProductGradientsAreTheBitsOfSgemm() throws {
    let (rows, k) = (300, 37)
    var random = SeededRandom(seed: 12)
    let a = randomValues(rows * k, &random)
    let b = randomValues(rows * k, &random)
    let dc = randomValues(rows, &random, scale: 3)
    let old = randomValues(rows * k, &random)
    for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
      for overwrite in [true, false] {
        let op = MatMul(transposeA: transposeA, transposeB: transposeB)
        let shapeA: Shape = transposeA ? [rows, k, 1] : [rows, 1, k]
        let shapeB: Shape = transposeB ? [rows, 1, k] : [rows, k, 1]
        var (da, db) = (old, old)
        var (expectedA, expectedB) = (old, old)
        var (pa, pb, pdc) = (a, b, dc)
        pa.withUnsafeMutableBufferPointer { pa in
          pb.withUnsafeMutableBufferPointer { pb in
            pdc.withUnsafeMutableBufferPointer { pdc in
              da.withUnsafeMutableBufferPointer { da in
                db.withUnsafeMutableBufferPointer { db in
                  let io = OpIO(
                    inputs: [pa.baseAddress!, pb.baseAddress!], inputShapes: [shapeA, shapeB], output: pdc.baseAddress!,
                    outputShape: [rows, 1, 1], scratch: pdc.baseAddress!, outputGrad: pdc.baseAddress!,
                    inputGrads: [da.baseAddress!, db.baseAddress!], overwrites: [overwrite, overwrite])
                  op.backward(io, RunState(training: true, seed: 1))
                }
              }
              // What MatMul.backward computes for any shape: dA = dC·Bᵀ, dB = Aᵀ·dC, one sgemm each.
              let beta: Float = overwrite ? 0 : 1
              for s in 0..<rows {
                let (aS, bS, dcS) = (pa.baseAddress! + s * k, pb.baseAddress! + s * k, pdc.baseAddress! + s)
                expectedA.withUnsafeMutableBufferPointer { e in
                  BLAS.gemm(
                    transposeA: false, transposeB: true, m: 1, n: k, k: 1, a: dcS, lda: 1, b: bS, ldb: 1, beta: beta,
                    c: e.baseAddress! + s * k, ldc: k)
                }
                expectedB.withUnsafeMutableBufferPointer { e in
                  BLAS.gemm(
                    transposeA: true, transposeB: false, m: k, n: 1, k: 1, a: aS, lda: k, b: dcS, ldb: 1, beta: beta,
                    c: e.baseAddress! + s * k, ldc: 1)
                }
              }
            }
          }
        }
        let label = "transposeA \(transposeA), transposeB \(transposeB), overwrite \(overwrite)"
        #expect(da == expectedA, "dA, \(label)")
        #expect(db == expectedB, "dB, \(label)")
        #expect(da != old && db != old, "gradients written, \(label)")
      }
    }
  }

  /// A linear layer's backward on two threads runs dA and dB side by side, each one whole
  /// sgemm: the gradients are the bits of one thread, for every transpose, storing and adding,
  /// and the two-thread run did split.
  @Test func linearGradientsOnTwoThreadsAreTheBitsOfOne() throws {
    let (m, k, n) = (640, 100, 96)  // m·n·k = 6.1M multiply-adds, above BLAS.splitWork
    var random = SeededRandom(seed: 21)
    let a = randomValues(m * k, &random)
    let b = randomValues(k * n, &random)
    let dc = randomValues(m * n, &random)
    let oldA = randomValues(m * k, &random)
    let oldB = randomValues(k * n, &random)
    for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
      for overwrite in [true, false] {
        let op = MatMul(transposeA: transposeA, transposeB: transposeB, scale: 0.5)
        let shapeA: Shape = transposeA ? [k, m] : [m, k]
        let shapeB: Shape = transposeB ? [n, k] : [k, n]
        func gradients(ways: Int) -> (da: [Float], db: [Float], splits: Int) {
          Parallel.withWays(ways) {
            var (da, db, pa, pb, pdc) = (oldA, oldB, a, b, dc)
            let before = Parallel.splitsRun
            pa.withUnsafeMutableBufferPointer { pa in
              pb.withUnsafeMutableBufferPointer { pb in
                pdc.withUnsafeMutableBufferPointer { pdc in
                  da.withUnsafeMutableBufferPointer { da in
                    db.withUnsafeMutableBufferPointer { db in
                      let io = OpIO(
                        inputs: [pa.baseAddress!, pb.baseAddress!], inputShapes: [shapeA, shapeB],
                        output: pdc.baseAddress!, outputShape: [m, n], scratch: pdc.baseAddress!,
                        outputGrad: pdc.baseAddress!, inputGrads: [da.baseAddress!, db.baseAddress!],
                        overwrites: [overwrite, overwrite])
                      op.backward(io, RunState(training: true, seed: 1))
                    }
                  }
                }
              }
            }
            return (da, db, Parallel.splitsRun - before)
          }
        }
        let (one, two) = (gradients(ways: 1), gradients(ways: 2))
        let label = "transposeA \(transposeA), transposeB \(transposeB), overwrite \(overwrite)"
        #expect(one.da.map(\.bitPattern) == two.da.map(\.bitPattern), "dA, \(label)")
        #expect(one.db.map(\.bitPattern) == two.db.map(\.bitPattern), "dB, \(label)")
        #expect(one.da != oldA && one.db != oldB, "gradients written, \(label)")
        // The count is process-wide: tests running beside this one may add their own splits.
        #expect(two.splits >= 1, "the pair ran split, \(label)")
      }
    }
  }

  @Test func matmulMatchesTripleLoop() throws {
    var r = SeededRandom(seed: 3)
    let (m, k, n) = (5, 7, 4)
    let a = randomValues(m * k, &r)
    let b = randomValues(n * k, &r)
    let y = try runOp(MatMul(transposeB: true), [([m, k], a), ([n, k], b)])
    var expected = [Float](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n { for p in 0..<k { expected[i * n + j] += a[i * k + p] * b[j * k + p] } } }
    #expect(close(y, expected))
  }

  @Test func batchedMatmulMatchesTripleLoop() throws {
    var r = SeededRandom(seed: 4)
    let (s, m, k, n) = (3, 2, 4, 5)
    let a = randomValues(s * k * m, &r)
    let b = randomValues(s * k * n, &r)
    let y = try runOp(MatMul(transposeA: true), [([s, k, m], a), ([s, k, n], b)])
    var expected = [Float](repeating: 0, count: s * m * n)
    for q in 0..<s {
      for i in 0..<m {
        for j in 0..<n {
          for p in 0..<k {
            expected[(q * m + i) * n + j] += a[(q * k + p) * m + i] * b[(q * k + p) * n + j]
          }
        }
      }
    }
    #expect(close(y, expected))
  }

  @Test func causalMaskedSoftmaxByHand() throws {
    // One sequence of 3 with the first key padding: query 0 sees nothing (zeros), query 1 sees
    // key 1 only, query 2 sees keys 1 and 2.
    let scores: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 10]
    let y = try runOp(Softmax(causal: true), [([1, 3, 3], scores), ([1, 3], [0, 1, 1])])
    let e = Foundation.exp(2.0) / (1 + Foundation.exp(2.0))
    #expect(close(y, [0, 0, 0, 0, 1, 0, 0, Float(1 - e), Float(e)]))
  }

  @Test func layerNormMatchesDefinition() throws {
    let x: [Float] = [1, 2, 3, 4, -1, 0, 1, 6]
    let y = try runOp(LayerNorm(epsilon: 0), [([2, 4], x), ([4], [1, 1, 1, 1]), ([4], [0, 0, 0, 0])])
    for row in 0..<2 {
      let v = x[(row * 4)..<(row * 4 + 4)]
      let mean = v.reduce(0, +) / 4
      let std = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4).squareRoot()
      #expect(close(Array(y[(row * 4)..<(row * 4 + 4)]), v.map { ($0 - mean) / std }))
    }
  }

  @Test func bceIsStableForHugeLogits() throws {
    // softplus(1000) − 1000·1 = 0 exactly; softplus(−1000) − 0 = 0; softplus(0) = log 2.
    let y = try runOp(BinaryCrossEntropy(), [([3], [1000, -1000, 0]), ([3], [1, 0, 1]), ([3], [1, 1, 1])])
    #expect(abs(y[0] - Float(log(2.0) / 3)) < 1e-6)
    let z = try runOp(BinaryCrossEntropy(), [([1], [-1000]), ([1], [1]), ([1], [1])])
    #expect(z[0] == 1000)
  }

  @Test func softmaxCrossEntropyMatchesLogSumExp() throws {
    let logits: [Float] = [1000, 1001, 1002, 0, 0, 0]
    let y = try runOp(SoftmaxCrossEntropy(), [([2, 3], logits), ([2], [])], indices: [1: [1, 0]])
    // Only row 0 is targeted (row 1 has target 0 = none): lse − x_1 = 2 + log(1 + e^-1 + e^-2) − 1.
    let expected = 1002 + log(Foundation.exp(-2.0) + Foundation.exp(-1.0) + 1) - 1001
    #expect(abs(Double(y[0]) - expected) < 1e-4)
  }

  @Test func gruScanMatchesStepByStepCell() throws {
    var r = SeededRandom(seed: 9)
    let (b, t, h) = (2, 3, 2)
    let x = randomValues(b * t * 3 * h, &r)
    let w = randomValues(h * 3 * h, &r)
    let bias = randomValues(3 * h, &r)
    let mask: [Float] = [0, 1, 1, 1, 1, 0]
    let y = try runOp(GRUScan(), [([b, t, 3 * h], x), ([h, 3 * h], w), ([3 * h], bias), ([b, t], mask)])
    func sig(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
    for bi in 0..<b {
      var state = [Double](repeating: 0, count: h)
      for s in 0..<t {
        let row = bi * t + s
        if mask[row] > 0 {
          var gh = [Double](repeating: 0, count: 3 * h)
          for j in 0..<(3 * h) {
            for p in 0..<h { gh[j] += state[p] * Double(w[p * 3 * h + j]) }
            gh[j] += Double(bias[j])
          }
          let xr = (0..<(3 * h)).map { Double(x[row * 3 * h + $0]) }
          var next = state
          for j in 0..<h {
            let rg = sig(xr[j] + gh[j])
            let z = sig(xr[h + j] + gh[h + j])
            let n = Foundation.tanh(xr[2 * h + j] + rg * gh[2 * h + j])
            next[j] = (1 - z) * n + z * state[j]
          }
          state = next
        }
        for j in 0..<h { #expect(abs(Double(y[row * h + j]) - state[j]) < 1e-5) }
      }
    }
  }

  @Test func gatherGivesZeroRowsForPadding() throws {
    let table: [Float] = [9, 9, 1, 2, 3, 4]
    let y = try runOp(Gather(paddingIndex: 0), [([3, 2], table), ([4], [])], indices: [1: [2, 0, 1, 7]])
    #expect(y == [3, 4, 0, 0, 1, 2, 0, 0])
  }

  @Test func dropoutKeepsExpectationAndIsIdentityInEvaluation() throws {
    let x = [Float](repeating: 1, count: 20_000)
    let train = try runOp(Dropout(0.25), [([20_000], x)], training: true)
    let zeros = train.filter { $0 == 0 }.count
    #expect(abs(Double(zeros) / 20_000 - 0.25) < 0.02)
    #expect(abs(train.reduce(0, +) / 20_000 - 1) < 0.03)
    #expect(try runOp(Dropout(0.25), [([20_000], x)], training: false) == x)
  }

  /// The keep factors follow their definition, whatever blocks and threads draw them: value i is
  /// dropped when the (i mod 4)-th 16-bit slice of the (i/4)-th draw is below round(p·2^16), and
  /// the generator ends ⌈n/4⌉ draws on. 70,001 values: split on two threads, many whole blocks
  /// of 1,024 and a tail that ends inside a draw.
  @Test func dropoutFactorsFollowTheirDefinition() throws {
    let n = 70_001
    let p: Float = 0.3
    var reference = SeededRandom(seed: 9)
    var expected = [Float](repeating: 0, count: n)
    var bits: UInt64 = 0
    for i in 0..<n {
      if i % 4 == 0 { bits = reference.next() }
      let slice = (bits >> UInt64(16 * (i % 4))) & 0xFFFF
      expected[i] = slice < UInt64((Double(p) * 65536).rounded()) ? 0 : 1 / (1 - p)
    }
    for ways in [1, 2] {
      try Parallel.withWays(ways) {
        let g = Graph()
        let y = try g.dropout(g.constant(Tensor(shape: [n], values: [Float](repeating: 1, count: n))), p)
        let c = try CompiledGraph(g, outputs: [y])
        let run = RunState(training: true, seed: 9)
        try c.forward(run)
        #expect(c.value(y).scalars == expected, "\(ways) thread(s)")
        #expect(run.random == reference, "\(ways) thread(s)")
      }
    }
  }

  /// The fused op draws the same mask and gives the same values and gradients as relu then
  /// dropout (an odd count, so the last 64-bit draw is used in part).
  @Test func fusedReLUDropoutIsReLUThenDropout() throws {
    var random = SeededRandom(seed: 4)
    let values = randomValues(1001, &random)
    func run(fused: Bool) throws -> (y: [Float], gradient: [Float]) {
      let store = ParameterStore()
      let p = store.add("x", Tensor(shape: [1001], values: values))
      let g = Graph()
      let x = g.parameter(p)
      let y = fused ? try g.reluDropout(x, 0.3) : try g.dropout(try g.relu(x), 0.3)
      let w = g.constant(Tensor(shape: [1001], values: (0..<1001).map { Float($0 % 7) - 3 }))
      let c = try CompiledGraph(g, outputs: [y], loss: try g.sum(try g.mul(y, w)))
      let state = RunState(training: true, seed: 9)
      try c.forward(state)
      try c.backward(state)
      return (c.value(y).scalars, Array(p.grad.buffer.prefix(1001)))
    }
    let fused = try run(fused: true)
    let apart = try run(fused: false)
    #expect(fused.y == apart.y)
    #expect(fused.gradient == apart.gradient)
    let kept = fused.y.filter { $0 > 0 }.count
    let positive = values.filter { $0 > 0 }.count
    #expect(abs(Double(kept) / Double(positive) - 0.7) < 0.06, "kept \(kept) of \(positive) positive values")
    #expect(try runOp(ReLUDropout(0.3), [([1001], values)], training: false) == values.map { max($0, 0) })
  }

  /// With a bias, the fused op is bias add, relu and dropout, bit for bit: the output, x's and
  /// the bias's gradients and the generator's state afterwards, on one and two threads, in
  /// training and at evaluation (rate 0). Rows of 100 do not divide the 1,024-value blocks of
  /// draws, so row ends fall inside blocks; 36,000 values are enough to split over two threads.
  @Test func fusedBiasReLUDropoutIsBiasAddThenReLUThenDropout() throws {
    let shape: Shape = [9, 40, 100]
    var random = SeededRandom(seed: 5)
    let values = randomValues(shape.count, &random)
    let biasValues = randomValues(100, &random)
    let weights = (0..<shape.count).map { Float($0 % 11) - 5 }
    func run(fused: Bool, p: Float, training: Bool) throws -> [[Float]] {
      let store = ParameterStore()
      let (px, pb) = (
        store.add("x", Tensor(shape: shape, values: values)), store.add("b", Tensor(shape: [100], values: biasValues))
      )
      let g = Graph()
      let (x, b) = (g.parameter(px), g.parameter(pb))
      let y =
        fused ? try g.apply(ReLUDropout(p), x, b) : try g.dropout(try g.relu(try g.biasAdd(x, b)), training ? p : 0)
      let c = try CompiledGraph(g, outputs: [y], loss: try g.sum(try g.mul(y, g.constant(Tensor(shape: shape, values: weights)))))
      let state = RunState(training: training, seed: 3)
      try c.forward(state)
      try c.backward(state)
      var end = state.random
      return [c.value(y).scalars, Array(px.grad.buffer), Array(pb.grad.buffer), (0..<2).map { _ in Float(end.next() >> 40) }]
    }
    for ways in [1, 2] {
      try Parallel.withWays(ways) {
        for (p, training) in [(Float(0.3), true), (0.3, false), (0, true)] {
          let fused = try run(fused: true, p: p, training: training)
          let apart = try run(fused: false, p: p, training: training)
          for (k, what) in ["y", "dx", "db", "generator"].enumerated() {
            #expect(fused[k] == apart[k], "\(what), p \(p), training \(training), \(ways) thread(s)")
          }
          #expect(fused[0].contains(0) && fused[2].contains { $0 != 0 }, "a test that exercises both")
        }
      }
    }
  }

  /// The mask rule written out from the draws themselves: draw w decides values 4w..<4w+4, and
  /// value 4w+k is dropped when bits 16k..<16k+16 of the draw are below round(p·2^16). n crosses
  /// two of the ops' 1024-value chunks and ends inside a draw. Both dropout ops follow it.
  @Test func dropoutMasksFollowTheirDraws() throws {
    let n = 2503
    let p: Float = 0.3
    let threshold = UInt64((Double(p) * 65536).rounded())
    var random = SeededRandom(seed: 1)  // runOp's RunState seed
    var expected: [Float] = []
    while expected.count < n {
      let bits = random.next()
      for k in 0..<4 where expected.count < n {
        expected.append((bits >> UInt64(16 * k)) & 0xFFFF < threshold ? 0 : 1 / (1 - p))
      }
    }
    let ones = [Float](repeating: 1, count: n)
    #expect(try runOp(Dropout(p), [([n], ones)], training: true) == expected)
    #expect(try runOp(ReLUDropout(p), [([n], ones)], training: true) == expected)
  }

  /// Softmax rows computed as one loop that adds each exponential as it goes (the form before
  /// the exponentials got a loop of their own): the same bits, masked, causal or neither.
  @Test func softmaxGivesTheBitsOfTheOneLoopForm() throws {
    var generator = SeededRandom(seed: 5)
    func uniform() -> Float { Float(generator.next() % 100_001) / 10_000 - 5 }
    for (heads, lq, lk, causal, masked) in [
      (1, 1, 37, false, false), (2, 5, 9, true, false), (2, 4, 13, false, true),
      (1, 7, 7, true, true), (1, 3, 50, false, false),
    ] {
      let batch = 2
      let scores = (0..<(batch * heads * lq * lk)).map { _ in uniform() }
      let mask = (0..<(batch * lk)).map { j in j % 4 == 1 ? Float(0) : 1 }
      let y =
        masked
        ? try runOp(Softmax(causal: causal, heads: heads), [([batch * heads, lq, lk], scores), ([batch, lk], mask)])
        : try runOp(Softmax(causal: causal, heads: heads), [([batch * heads, lq, lk], scores)])
      var expected: [Float] = []
      for r in 0..<(batch * heads * lq) {
        let x = Array(scores[(r * lk)..<((r + 1) * lk)])
        let visible = causal ? max(0, min(lk, r % lq + 1 + (lk - lq))) : lk  // the last query sees every key
        let m = masked ? Array(mask[((r / lq / heads) * lk)..<((r / lq / heads + 1) * lk)]) : [Float](repeating: 1, count: lk)
        var top = -Float.infinity
        for j in 0..<visible where m[j] > 0 { top = max(top, x[j]) }
        var row = [Float](repeating: 0, count: lk)
        var sum: Float = 0
        for j in 0..<visible {
          let e = m[j] > 0 ? Kernels.exp(x[j] - top) : 0
          row[j] = e
          sum += e
        }
        let inv = 1 / sum
        for j in 0..<visible { row[j] *= inv }
        expected += top == -.infinity ? [Float](repeating: 0, count: lk) : row
      }
      #expect(y == expected, "heads \(heads), \(lq) x \(lk), causal \(causal), masked \(masked)")
    }
  }

  /// Eight running maxima give the one-total loop's answer for every length and position of the
  /// largest value, pass over NaNs as it did, and are −∞ for nothing but −∞.
  @Test func maximumMatchesTheOneTotalLoop() {
    var generator = SeededRandom(seed: 11)
    for n in 1...41 {
      for position in [0, n / 2, n - 1] {
        var x = (0..<n).map { _ in Float(generator.next() % 2001) / 100 - 10 }
        x[position] = 12.5
        if n > 3 { x[(position + 1) % n] = .nan }
        var oneTotal = -Float.infinity
        for v in x { oneTotal = max(oneTotal, v) }
        #expect(Kernels.maximum(x, n) == oneTotal)
        #expect(oneTotal == 12.5)
      }
    }
    #expect(Kernels.maximum([-Float.infinity, -.infinity], 2) == -.infinity)
    #expect(Kernels.maximum([-3, -1, -2], 3) == -1)
  }

  @Test func kernelsPropagateNaNWithoutTrapping() {
    #expect(Kernels.exp(.nan).isNaN)
    #expect(Kernels.sigmoid(.nan).isNaN)
    #expect(Kernels.tanh(.nan).isNaN)
    #expect(Kernels.exp(.infinity) == Foundation.exp(Float(88)))
    #expect(Kernels.exp(-.infinity) < 1e-37)
    #expect(Kernels.sigmoid(1e30) == 1 && Kernels.sigmoid(-1e30) < 1e-37)
  }

  @Test func fastExpIsAccurate() {
    var worst: Float = 0
    for i in -800...800 {
      let x = Float(i) / 10
      worst = max(worst, abs(Kernels.exp(x) - Foundation.exp(x)) / Foundation.exp(x))
    }
    #expect(worst < 1e-6)
  }
}
