import ArgumentParser
import Foundation
import LoomGraph
import LoomTensor

/// `loom bench ...`: release-build benchmarks, medians of several runs.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Benchmarks (build with -c release).",
    subcommands: [BenchEngine.self, BenchMIN.self, BenchMFN4Rec.self, BenchSASRec.self, BenchGRU4Rec.self, BenchEncode.self])
}

/// `loom bench engine`: matrix products through the compiled graph against direct cblas_sgemm.
struct BenchEngine: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "engine", abstract: "GFLOP/s of the graph's matmul against direct sgemm.")

  @Option(help: "Threads each large op is split over (OpenBLAS itself runs on one).") var threads: Int = 1

  func run() throws {
    BLAS.threads = threads
    print("threads \(threads); median of 5 timings per shape, interleaved")
    print("M      N     K      graph GFLOP/s  sgemm GFLOP/s  ratio")
    for (m, n, k) in [(12800, 64, 64), (12800, 256, 64), (256, 1682, 64), (2048, 2048, 2048)] {
      let r = try MatmulBenchmark.run(m: m, n: n, k: k)
      print(
        String(format: "%-6d %-5d %-6d %13.1f  %13.1f  %5.2f", m, n, k, r.graphGFLOPS, r.directGFLOPS, r.ratio))
    }
  }
}
