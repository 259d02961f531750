import LoomTensor
import Testing

/// `BLAS.gemm` split over two threads gives the bits of one call: C's rows (or columns) in
/// blocks, each block the same sums in the same order (`BLAS.gemm`'s note). Random shapes at
/// and above the split size, every transpose, beta 0 and 1.
@Suite struct BLASSplitTests {
  @Test func splitProductsEqualOneCallBitForBit() {
    var random = SeededRandom(seed: 11)
    var checked = 0
    var splitShapes = 0
    for _ in 0..<160 {
      var m = 1 + random.nextInt(below: 1500)
      var n = 1 + random.nextInt(below: 800)
      let k = 1 + random.nextInt(below: 1000)
      if random.nextInt(below: 4) == 0 { m = 1 + random.nextInt(below: 120) }
      if random.nextInt(below: 4) == 0 { n = 1 + random.nextInt(below: 120) }
      guard m * n * k >= 2 * BLAS.splitWork else { continue }
      let (ta, tb) = (random.nextInt(below: 2) == 1, random.nextInt(below: 2) == 1)
      let beta: Float = random.nextInt(below: 2) == 1 ? 1 : 0
      let a = (0..<(m * k)).map { _ in random.nextUniform() - 0.5 }
      let b = (0..<(k * n)).map { _ in random.nextUniform() - 0.5 }
      let c0 = (0..<(m * n)).map { _ in random.nextUniform() }
      func product(ways: Int) -> (values: [Float], splits: Int) {
        Parallel.withWays(ways) {
          var c = c0
          let before = Parallel.splitsRun
          c.withUnsafeMutableBufferPointer { c in
            BLAS.gemm(
              transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 0.7, a: a, lda: ta ? m : k,
              b: b, ldb: tb ? k : n, beta: beta, c: c.baseAddress!, ldc: n)
          }
          return (c, Parallel.splitsRun - before)
        }
      }
      let one = product(ways: 1)
      let two = product(ways: 2)
      if two.splits > 0 { splitShapes += 1 }
      let differing = zip(one.values, two.values).filter { $0.0.bitPattern != $0.1.bitPattern }.count
      #expect(differing == 0, "m \(m) n \(n) k \(k) ta \(ta) tb \(tb) beta \(beta): \(differing) values differ")
      checked += 1
    }
    #expect(checked > 40)
    #expect(splitShapes > 40)
  }

  @Test func rangesCoverTheCountInGranules() {
    #expect(Parallel.split(10, parts: 2) == [0..<5, 5..<10])
    #expect(Parallel.split(10, parts: 2, granule: 4) == [0..<4, 4..<10])
    #expect(Parallel.split(100, parts: 3, granule: 16) == [0..<32, 32..<64, 64..<100])
    #expect(Parallel.split(3, parts: 2, granule: 4) == [0..<0, 0..<3])
  }
}
