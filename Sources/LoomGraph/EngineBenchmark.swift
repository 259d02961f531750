import LoomTensor

#if canImport(Glibc)
  import Glibc
#endif

/// Seconds on the monotonic clock.
public func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Seconds of CPU time used by this process, summed over its threads.
public func processCPUSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// GFLOP/s of one matrix product run through a compiled graph and by a direct sgemm call, at the
/// same shape, timed back to back (median of `repeats` timings of enough calls to last ~0.2 s).
public struct MatmulBenchmark: Sendable {
  public let m, n, k: Int
  public let graphGFLOPS: Double
  public let directGFLOPS: Double
  public var ratio: Double { graphGFLOPS / directGFLOPS }

  public static func run(m: Int, n: Int, k: Int, repeats: Int = 5) throws -> MatmulBenchmark {
    var random = SeededRandom(seed: 1)
    let a = Tensor(shape: [m, k], normalStd: 1, random: &random)
    let b = Tensor(shape: [k, n], normalStd: 1, random: &random)
    let c = Tensor(zeros: [m, n])
    let g = Graph()
    let y = try g.matmul(g.input("a", [m, k]), g.constant(b))
    let compiled = try CompiledGraph(g, outputs: [y])
    try compiled.inputPointer("a").update(from: a.pointer, count: a.count)
    let run = RunState(training: false, seed: 0)

    let flops = 2.0 * Double(m) * Double(n) * Double(k)
    let calls = max(1, Int(2e8 / flops * 10))  // about 0.2 s at 100 GFLOP/s
    func time(_ body: () throws -> Void) rethrows -> Double {
      try body()  // warm-up
      var samples: [Double] = []
      for _ in 0..<repeats {
        let t0 = monotonicSeconds()
        for _ in 0..<calls { try body() }
        samples.append((monotonicSeconds() - t0) / Double(calls))
      }
      return samples.sorted()[repeats / 2]
    }
    var graphTime = 0.0
    var directTime = 0.0
    // Interleave the two so machine load affects both alike.
    for _ in 0..<2 {
      graphTime += try time { try compiled.forward(run) }
      directTime += time {
        BLAS.gemm(
          transposeA: false, transposeB: false, m: m, n: n, k: k,
          a: a.pointer, lda: k, b: b.pointer, ldb: n, beta: 0, c: c.pointer, ldc: n)
      }
    }
    return MatmulBenchmark(m: m, n: n, k: k, graphGFLOPS: 2 * flops / graphTime / 1e9, directGFLOPS: 2 * flops / directTime / 1e9)
  }
}
