import LoomTensor

/// Inverted dropout: in training each value is kept with probability 1 − p and scaled by
/// 1/(1 − p), so evaluation is the identity. The mask (0 or 1/(1 − p)) is scratch for backward.
///
/// Each 64-bit draw decides four values by 16-bit slices compared with round(p·2^16), so the
/// rate is p to within 2^-17 (0.1 drops with probability 6554/65536 = 0.100006): a quarter of
/// the draws and no float conversion, which made this op 9% of a MIN epoch before.
public struct Dropout: Op {
  public var p: Float
  public init(_ p: Float) { self.p = p }
  public var name: String { "dropout" }
  public var detail: String { "p=\(p)" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape { try DropoutDraw.outputShape(name, p, s) }
  public func scratchCount(inputs: [Shape], output: Shape) -> Int { output.count }

  public func forward(_ io: OpIO, _ run: RunState) {
    let n = io.outputShape.count
    let (x, y, mask) = (io.inputs[0], io.output, io.scratch)
    guard run.training, p > 0 else {
      mask.update(repeating: 1, count: n)
      y.update(from: x, count: n)
      return
    }
    let draw = DropoutDraw(p)
    draw.forEachPart(n, &run.random) { part, random in
      draw.forEachBlock(part, &random) { start, count, keep in
        let (xb, yb, maskb) = (x + start, y + start, mask + start)
        for k in 0..<count {
          maskb[k] = keep[k]
          yb[k] = xb[k] * keep[k]
        }
      }
    }
  }

  public func overwritesGradient(of i: Int, inputs: [Shape]) -> Bool { true }
  public func backward(_ io: OpIO, _ run: RunState) {
    guard let dx = io.inputGrads[0] else { return }
    Kernels.accumulateProduct(io.outputGrad, io.scratch, into: dx, io.outputShape.count, overwrite: io.overwrites[0])
  }
}

/// The keep factors of inverted dropout at rate p, 0 or 1/(1 − p), in the order every dropout
/// op draws them: four per 64-bit draw, by 16-bit slices compared with round(p·2^16). Shared
/// so that a fused op draws exactly the mask `Dropout` would.
struct DropoutDraw {
  let threshold: UInt64
  let scale: Float

  /// The shape rule of every dropout op: the input's shape, for a rate in [0, 1).
  static func outputShape(_ name: String, _ p: Float, _ s: [Shape]) throws(ShapeError) -> Shape {
    guard p >= 0, p < 1 else { throw ShapeError(name, s, "rate must be in [0, 1), got \(p)") }
    return s[0]
  }

  init(_ p: Float) {
    threshold = UInt64(min(65535, (Double(p) * 65536).rounded()))
    scale = 1 / (1 - p)
  }

  /// Runs `body(part, &generator)` over parts of 0..<n, each part's generator standing where the
  /// draws for its first value begin; the op's own loop then calls `forEachBlock(part, &generator)`.
  /// Split over `Parallel.ways` threads when large: parts start at multiples of four values,
  /// so a part starting at value i skips i/4 draws of its copy of the generator, every value
  /// gets the factor it gets on one thread, and `random` ends where one thread leaves it.
  /// Skipping costs one state update per draw, a few percent of the work.
  func forEachPart(_ n: Int, _ random: inout SeededRandom, _ body: (Range<Int>, inout SeededRandom) -> Void) {
    let start = random
    var end = random
    Parallel.forEachRange(n, granule: 4, worthSplitting: n >= Parallel.minimumValues) { part in
      var r = start
      for _ in 0..<(part.lowerBound / 4) { _ = r.next() }
      body(part, &r)
      if part.upperBound == n { end = r }
    }
    random = end
  }

  /// Calls `body(start, count, keep)` for consecutive blocks of `part`, `keep[k]` holding the
  /// factor of value `start + k`, drawn from `random` in order, four per draw.
  ///
  /// The draws for a block go to a small buffer first, the k-th 16-bit slice of draw j being
  /// the (4j + k)-th `UInt16` of that buffer (little-endian, as on every platform Loom builds
  /// for); a second loop turns the slices into factors, and the op's own loop over the block
  /// multiplies. Each of the three loops vectorises or is the generator's chain alone. Deciding
  /// per value inside the op's loop (the generator, a data-dependent select and the stores in
  /// one body) compiled to scalar code with a branch: 3.2 ns a value for relu+dropout over
  /// `[256, 50, 512]`, against 1.4 ns this way (standalone `swiftc -O -target-cpu haswell`,
  /// best of 7), and 4 ns a value inside MIN's epoch (`--profile-shapes`). The values, and the
  /// generator's state afterwards, are the same as drawing one slice at a time.
  @inline(__always)
  func forEachBlock(
    _ part: Range<Int>, _ random: inout SeededRandom, _ body: (_ start: Int, _ count: Int, _ keep: UnsafePointer<Float>) -> Void
  ) {
    #if _endian(big)
      #error("DropoutDraw reads 16-bit slices of its draws in little-endian order")
    #endif
    let block = DropoutDraw.blockValues
    let (threshold, scale) = (UInt16(self.threshold), self.scale)
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: block / 4) { draws in
      withUnsafeTemporaryAllocation(of: Float.self, capacity: block) { factors in
        let slices = UnsafeRawPointer(draws.baseAddress!).assumingMemoryBound(to: UInt16.self)
        let keep = factors.baseAddress!
        var start = part.lowerBound
        while start < part.upperBound {
          let count = min(block, part.upperBound - start)
          for j in 0..<((count + 3) / 4) { draws[j] = random.next() }
          for k in 0..<count { keep[k] = slices[k] < threshold ? 0 : scale }
          body(start, count, keep)
          start += count
        }
      }
    }
  }

  /// Values decided per block of draws: a multiple of four (so blocks start on a draw), small
  /// enough for the buffer to stay in L1.
  static let blockValues = 1024
}
