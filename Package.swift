// swift-tools-version: 6.0
import Foundation
import PackageDescription

// The numeric kernels (LoomTensor's, the graph's ops, the sentence encoder's) are compiled for
// AVX2 and FMA when the machine that builds them has both, as x86-64 servers have since 2013:
// 8-wide loops instead of SSE's 4-wide. The exponential behind every softmax, sigmoid and tanh
// is compute-bound and runs 1.7× faster (3.1 → 1.8 ns a value over 1,683-item softmax rows,
// Docs/performance.md). The values stay the same bits: Swift contracts no a·b + c into an FMA
// and reorders no float sum, and an elementwise loop gives the same result at any width (the
// tests that compare runs bit for bit pass either way). A build is then for this machine's
// kind: a `.build` carried to an x86 machine without AVX2 would stop on an illegal instruction
// (`rm -rf .build` and build again there). On other machines the compiler's default is kept.
let vectorSettings: [SwiftSetting] = hostHasAVX2AndFMA() ? [.unsafeFlags(["-target-cpu", "haswell"])] : []

func hostHasAVX2AndFMA() -> Bool {
  #if arch(x86_64) && os(Linux)
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let flagLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return false }
    let flags = Set(flagLine.split(whereSeparator: \.isWhitespace))
    return flags.contains("avx2") && flags.contains("fma")
  #else
    return false
  #endif
}

// Dependencies run one way:
// LoomTensor <- LoomGraph <- LoomLayers <- LoomRec <- LoomLang <- LoomConsole <- loom
// LoomPlot stands apart (it only speaks to gnuplot) and is used by LoomLang.
// LoomFiles (the one atomic, fsynced file write) is used by LoomRec, LoomPlot, LoomConsole, loom.
// LoomMPI (data-parallel training under mpirun) implements LoomRec's ProcessGroup over MPI.
// LoomONNX (export to ONNX, over swift-protobuf) rests on LoomRec and is used by LoomLang.
// LoomText (sentence encoders) rests on LoomTensor only; LoomRec uses it for encoded text tables.
let package = Package(
  name: "Loom",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "LoomTensor", targets: ["LoomTensor"]),
    .library(name: "LoomGraph", targets: ["LoomGraph"]),
    .library(name: "LoomLayers", targets: ["LoomLayers"]),
    .library(name: "LoomRec", targets: ["LoomRec"]),
    .library(name: "LoomPlot", targets: ["LoomPlot"]),
    .library(name: "LoomLang", targets: ["LoomLang"]),
    .library(name: "LoomConsole", targets: ["LoomConsole"]),
    .library(name: "LoomText", targets: ["LoomText"]),
    .library(name: "LoomONNX", targets: ["LoomONNX"]),
    .executable(name: "loom", targets: ["loom"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
  ],
  targets: [
    .systemLibrary(name: "CBLAS", pkgConfig: "openblas"),
    .systemLibrary(name: "CReadline"),
    .systemLibrary(name: "CZMQ", pkgConfig: "libzmq"),
    // MPI through its standard C API (Debian's Open MPI; mpi-c.pc names the chosen implementation).
    .systemLibrary(name: "CMPI", pkgConfig: "mpi-c"),
    .target(name: "MPIBridge", dependencies: ["CMPI"]),
    .target(name: "LoomMPI", dependencies: ["LoomRec", "MPIBridge"]),
    .target(name: "LoomTensor", dependencies: ["CBLAS"], swiftSettings: vectorSettings),
    .target(name: "LoomGraph", dependencies: ["LoomTensor"], swiftSettings: vectorSettings),
    .target(name: "LoomLayers", dependencies: ["LoomGraph"]),
    .target(name: "LoomFiles"),
    .target(name: "LoomRec", dependencies: ["LoomLayers", "LoomText", "LoomFiles"]),
    .target(name: "LoomPlot", dependencies: ["LoomFiles"]),
    // ONNX export: the evaluation graph as an ONNX model (swift-protobuf; Swift generated once
    // from onnx.proto by Scripts/generate-onnx-swift.sh and committed in Generated/).
    .target(
      name: "LoomONNX",
      dependencies: ["LoomRec", "LoomFiles", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
    .target(name: "LoomLang", dependencies: ["LoomRec", "LoomPlot", "LoomONNX"], plugins: ["EmbedPrelude"]),
    .target(name: "LoomConsole", dependencies: ["LoomLang", "LoomFiles"]),
    .target(name: "LoomText", dependencies: ["LoomTensor"], swiftSettings: vectorSettings),
    // The Jupyter kernel: messaging over ZeroMQ, HMAC-SHA256 signatures from swift-crypto.
    .target(
      name: "LoomKernel",
      dependencies: ["LoomConsole", "CZMQ", .product(name: "Crypto", package: "swift-crypto")]),
    .executableTarget(
      name: "loom",
      dependencies: [
        "LoomConsole", "LoomText", "LoomFiles", "LoomKernel", "LoomMPI", "CReadline",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // prelude.loom compiled into LoomLang as a string at build time (no resource bundle to install).
    .executableTarget(name: "TextToSwift"),
    .plugin(name: "EmbedPrelude", capability: .buildTool(), dependencies: ["TextToSwift"]),
    .testTarget(name: "LoomFilesTests", dependencies: ["LoomFiles"]),
    .testTarget(name: "LoomTensorTests", dependencies: ["LoomTensor"]),
    .testTarget(name: "LoomGraphTests", dependencies: ["LoomGraph"]),
    .testTarget(name: "LoomLayersTests", dependencies: ["LoomLayers"]),
    .testTarget(name: "LoomRecTests", dependencies: ["LoomRec", "LoomText"]),
    .testTarget(name: "LoomPlotTests", dependencies: ["LoomPlot"]),
    .testTarget(name: "LoomLangTests", dependencies: ["LoomLang"]),
    .testTarget(name: "LoomConsoleTests", dependencies: ["LoomConsole"]),
    .testTarget(name: "LoomKernelTests", dependencies: ["LoomKernel"]),
    .testTarget(name: "LoomMPITests", dependencies: ["LoomRec"]),
    .testTarget(name: "LoomONNXTests", dependencies: ["LoomONNX", "LoomLang"]),
    .testTarget(name: "LoomTextTests", dependencies: ["LoomText"], resources: [.copy("Fixtures")]),
  ]
)
