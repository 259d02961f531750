import Testing

@testable import LoomTensor

/// Each eight-lane kernel gives, in every lane, the bits of its scalar counterpart: ordinary
/// values across the range the GRU scan sees, the clamp's edges and beyond, signed zeros,
/// subnormals, infinities and NaN.
struct VectorKernelTests {
  static let inputs: [Float] = {
    var values: [Float] = [
      0, -0.0, 1, -1, 87, -87, 88, -88, 88.5, -87.5, 200, -200, .infinity, -.infinity, .nan,
      Float.leastNonzeroMagnitude, -Float.leastNonzeroMagnitude, Float.leastNormalMagnitude, 1e-20, -1e-20,
    ]
    var random = SeededRandom(seed: 31)
    for _ in 0..<4_000 { values.append((2 * random.nextUniform() - 1) * 30) }
    for _ in 0..<4_000 { values.append((2 * random.nextUniform() - 1) * 100) }
    while values.count % 8 != 0 { values.append(0.5) }
    return values
  }()

  func lanesMatch(_ vector: (Kernels.Vector) -> Kernels.Vector, _ scalar: (Float) -> Float) -> Int {
    var differing = 0
    Self.inputs.withUnsafeBufferPointer { x in
      for start in stride(from: 0, to: x.count, by: 8) {
        let v = vector(Kernels.load(x.baseAddress! + start))
        for lane in 0..<8 {
          let expected = scalar(x[start + lane])
          let same = v[lane].bitPattern == expected.bitPattern || (v[lane].isNaN && expected.isNaN)
          if !same { differing += 1 }
        }
      }
    }
    return differing
  }

  @Test func expGivesTheScalarBitsInEveryLane() {
    #expect(lanesMatch(Kernels.exp, Kernels.exp) == 0)
  }

  @Test func sigmoidAndTanhGiveTheScalarBitsInEveryLane() {
    #expect(lanesMatch(Kernels.sigmoid, Kernels.sigmoid) == 0)
    #expect(lanesMatch(Kernels.tanh, Kernels.tanh) == 0)
  }

  @Test func loadAndStoreAreUnalignedAndExact() {
    var buffer = (0..<19).map { Float($0) * 0.25 }
    buffer.withUnsafeMutableBufferPointer { p in
      let v = Kernels.load(p.baseAddress! + 3)  // not 32-byte aligned
      #expect(v == Kernels.Vector((3..<11).map { Float($0) * 0.25 }))
      Kernels.store(v * 2, p.baseAddress! + 9)
    }
    #expect(Array(buffer[9..<17]) == (3..<11).map { Float($0) * 0.5 })
    #expect(buffer[8] == 2 && buffer[17] == 4.25)
  }
}
