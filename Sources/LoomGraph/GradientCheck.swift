import LoomTensor

/// Builds the graph of one gradient-check case: its differentiable inputs are parameters,
/// index and mask inputs are fed fixed values.
public struct GradientCheckBuilder {
  public let graph = Graph()
  public let store = ParameterStore()
  public var random: SeededRandom
  var feeds: [(String, [Float])] = []
  var indexFeeds: [(String, [Int32])] = []

  init(seed: UInt64) { random = SeededRandom(seed: seed) }

  /// Checks an existing parameter (a layer's weights) too.
  public func check(_ p: Parameter) { store.append(p) }

  /// A differentiable input with uniform values in ±scale, kept at least `margin` from zero
  /// (relu's kink, where finite differences are meaningless).
  public mutating func parameter(_ shape: Shape, scale: Float = 1, margin: Float = 0) -> NodeID {
    var values = [Float](repeating: 0, count: shape.count)
    for i in values.indices {
      var v = (2 * random.nextUniform() - 1) * scale
      if abs(v) < margin { v = v < 0 ? v - margin : v + margin }
      values[i] = v
    }
    return graph.parameter(store.add("x\(store.parameters.count + 1)", Tensor(shape: shape, values: values)))
  }

  /// A fixed float input (labels, weights, masks).
  public mutating func floats(_ name: String, _ shape: Shape, _ values: [Float]) -> NodeID {
    feeds.append((name, values))
    return graph.input(name, shape)
  }

  /// A fixed index input.
  public mutating func indices(_ name: String, _ shape: Shape, _ values: [Int32]) -> NodeID {
    indexFeeds.append((name, values))
    return graph.input(name, shape, type: .int32)
  }
}

/// One named case: a function that builds the checked output.
public struct GradientCheckCase: Sendable {
  public let name: String
  public let build: @Sendable (inout GradientCheckBuilder) throws -> NodeID
  public init(_ name: String, build: @escaping @Sendable (inout GradientCheckBuilder) throws -> NodeID) {
    self.name = name
    self.build = build
  }
}

public struct GradientCheckResult: Sendable, CustomStringConvertible {
  public let name: String
  public let maxError: Double
  public let tolerance: Double
  public let checkedValues: Int
  /// Where the largest error was: parameter name and flat index, analytic and numeric values.
  public let worst: String
  public var passed: Bool { maxError <= tolerance }
  public var description: String {
    let pad = name.padding(toLength: max(28, name.count), withPad: " ", startingAt: 0)
    return "\(pad) max rel. error \(String(format: "%.2e", maxError))  \(passed ? "PASS" : "FAIL  at \(worst)")"
  }
}

/// Finite-difference gradient checks.
///
/// The checked scalar is L = Σ_i y_i r_i for the case's output y and a fixed random r, so every
/// output element's gradient is exercised. The analytic gradient comes from one backward pass;
/// the numerical one from central differences (L(θ + ε) − L(θ − ε)) / 2ε with ε = 3e-3, ε/3, ε/10, ε/30,
/// keeping the closest: a value within ε of a ReLU kink makes a difference straddle
/// the kink, while a wrong gradient fails at every ε. L is summed in Double on the host so only the
/// ops' own Float32 rounding remains. Error per value:
/// |analytic − numeric| / max(|analytic|, |numeric|, 0.1) — relative, and absolute for tiny
/// gradients where Float32 differences cannot be relative. The case passes when the largest
/// error is within `tolerance` (default 5e-3). At most `samples` values of each input are checked.
public enum GradientCheck {
  public static let defaultTolerance = 5e-3

  public static func run(
    _ c: GradientCheckCase, seed: UInt64 = 1, tolerance: Double = defaultTolerance, samples: Int = 40,
    epsilon: Float = 3e-3
  ) throws -> GradientCheckResult {
    var builder = GradientCheckBuilder(seed: seed)
    let y = try c.build(&builder)
    let g = builder.graph
    let weights = Tensor(shape: g.shape(y), normalStd: 1, random: &builder.random)
    let r = g.constant(weights)
    let loss = try g.sum(try g.mul(y, r))
    let compiled = try CompiledGraph(g, outputs: [y], loss: loss)
    for (name, v) in builder.feeds { try compiled.feed(name, v) }
    for (name, v) in builder.indexFeeds { try compiled.feed(name, indices: v) }

    let runSeed = seed &+ 17
    func objective() throws -> Double {
      try compiled.forward(RunState(training: true, seed: runSeed))
      let out = compiled.pointer(y)
      var s = 0.0
      for i in 0..<weights.count { s += Double(out[i]) * Double(weights[i]) }
      return s
    }
    try compiled.forward(RunState(training: true, seed: runSeed))
    try compiled.backward(RunState(training: true, seed: runSeed))

    var worst = 0.0
    var worstAt = ""
    var checked = 0
    let eps = epsilon
    for p in builder.store.parameters {
      let analytic = Array(p.grad.buffer.prefix(p.count))
      let stride = max(1, p.count / samples)
      for i in Swift.stride(from: 0, to: p.count, by: stride) {
        let original = p.value.pointer[i]
        let a = Double(analytic[i])
        var error = Double.infinity
        var numeric = 0.0
        for step in [eps, eps / 3, eps / 10, eps / 30] {
          p.value.pointer[i] = original + step
          let plus = try objective()
          p.value.pointer[i] = original - step
          let minus = try objective()
          p.value.pointer[i] = original
          let n = (plus - minus) / Double(2 * step)
          let e = abs(a - n) / max(abs(a), abs(n), 0.1)
          if e < error { (error, numeric) = (e, n) }
        }
        if error > worst {
          worst = error
          worstAt = "\(p.name)[\(i)]: analytic \(String(format: "%.5g", a)), numeric \(String(format: "%.5g", numeric))"
        }
        checked += 1
      }
    }
    return GradientCheckResult(name: c.name, maxError: worst, tolerance: tolerance, checkedValues: checked, worst: worstAt)
  }
}
