import LoomTensor

/// A primitive operation: shape rule, forward and backward side by side.
///
/// Backward reads only what forward saved (its inputs, its output and its scratch) and
/// *accumulates* (`+=`) into the input gradients it is given, so fan-out needs no special case.
/// A nil input gradient means that input needs none (an index tensor, a frozen table).
///
/// First writers: an op whose backward writes *every* value of input i's gradient may say so
/// (`overwritesGradient(of:)`). When it is the first step of a backward pass to write that
/// buffer, the graph does not zero the buffer first and sets `OpIO.overwrites[i]`: the op then
/// stores (`=`) where it would add. Zeroing and then adding into zeros passed over MIN's
/// gradient buffers twice, about 190 million values a batch (memset was 5% of its epoch).
/// Adding a value to a zero gives that value, so the gradients are the same.
public protocol Op: Sendable {
  /// Lower-case name used in errors, graph listings and gradcheck: `matmul`, `layernorm`.
  var name: String { get }
  /// The output shape for these input shapes, or a `ShapeError` naming the op and the shapes.
  func outputShape(_ inputs: [Shape]) throws(ShapeError) -> Shape
  /// Inputs that hold Int32 indices rather than floats (never differentiated).
  var integerInputs: [Int] { get }
  /// Floats of per-node storage kept from forward to backward (masks, statistics, gates).
  func scratchCount(inputs: [Shape], output: Shape) -> Int
  func forward(_ io: OpIO, _ run: RunState)
  func backward(_ io: OpIO, _ run: RunState)
  /// Extra detail for listings, e.g. `transposeB` or `p=0.1`.
  var detail: String { get }
  /// Floating-point operations of one forward call in its matrix products (the work BLAS does),
  /// for the GFLOP/s that benchmarks report; 0 for elementwise ops.
  func matmulFLOPs(inputs: [Shape], output: Shape) -> Double
  /// Whether backward writes every value of input `i`'s gradient, so that it can store instead
  /// of add when `OpIO.overwrites[i]` is set (see the protocol's note on first writers).
  func overwritesGradient(of i: Int, inputs: [Shape]) -> Bool
  /// Whether input `i`'s gradient is the output's gradient exactly, value for value (a
  /// reshape's, a bias add's x, a sum's operands). Where the op is that input's only consumer,
  /// the graph gives both one buffer and passes nil as the op's gradient for that input, so no
  /// copy is made; both operands of a sum may share it (their producers only read it).
  func passesGradientThrough(of i: Int, inputs: [Shape]) -> Bool
}

extension Op {
  public var integerInputs: [Int] { [] }
  public func scratchCount(inputs: [Shape], output: Shape) -> Int { 0 }
  public var detail: String { "" }
  public func matmulFLOPs(inputs: [Shape], output: Shape) -> Double { 0 }
  public func overwritesGradient(of i: Int, inputs: [Shape]) -> Bool { false }
  public func passesGradientThrough(of i: Int, inputs: [Shape]) -> Bool { false }
}

/// A shape mismatch found while building or compiling a graph.
public struct ShapeError: Error, Equatable, CustomStringConvertible, Sendable {
  public var op: String
  public var shapes: [Shape]
  public var reason: String
  public init(_ op: String, _ shapes: [Shape], _ reason: String) {
    self.op = op
    self.shapes = shapes
    self.reason = reason
  }
  /// `matmul: [32, 64] x [32, 64]: inner dimensions 64 != 32`
  public var description: String {
    "\(op): " + shapes.map(\.description).joined(separator: " x ") + ": " + reason
  }
}

/// The buffers of one node, bound once when the graph is compiled (the arena never moves),
/// so running a step allocates nothing.
public struct OpIO: @unchecked Sendable {
  public let inputs: [UnsafeMutablePointer<Float>]
  public let inputShapes: [Shape]
  public let output: UnsafeMutablePointer<Float>
  public let outputShape: Shape
  public let scratch: UnsafeMutablePointer<Float>
  /// Gradient of the loss with respect to the output (backward only).
  public let outputGrad: UnsafeMutablePointer<Float>
  /// Gradient buffers of the inputs to accumulate into; nil where no gradient is needed.
  public let inputGrads: [UnsafeMutablePointer<Float>?]
  /// Per input: its gradient buffer holds nothing yet this pass, and backward stores into it
  /// instead of adding (only ever set where `overwritesGradient(of:)` said it can).
  public let overwrites: [Bool]

  /// Input `i` read as Int32 indices.
  @inline(__always)
  public func indices(_ i: Int) -> UnsafeMutablePointer<Int32> {
    UnsafeMutableRawPointer(inputs[i]).assumingMemoryBound(to: Int32.self)
  }
}

/// What an op may consult while it runs: training or evaluation mode, and the seeded generator
/// for dropout and in-batch shuffles.
public final class RunState: @unchecked Sendable {
  public var training: Bool
  public var random: SeededRandom
  /// When set, every op's time is added to it (slower: a clock read per op).
  public var profiler: OpProfiler?
  public init(training: Bool, seed: UInt64) {
    self.training = training
    self.random = SeededRandom(seed: seed)
  }
}
