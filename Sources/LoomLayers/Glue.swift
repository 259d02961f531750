import LoomGraph
import LoomTensor

/// `concat(a, b, ...)`: features side by side (MIN eq. 1, e^hybrid = e^s ⊕ e^c ⊕ e^c).
public final class ConcatLayer: Layer {
  public var callName: String { "concat" }
  public let sizes: [Int]
  init(_ sizes: [Int]) { self.sizes = sizes }
  public var weights: [Weight] { [] }
  public var description: String { "Concat(\(sizes.map(String.init).joined(separator: " + ")))" }
  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID { try c.graph.concat(inputs) }
  public var lastPositionInputs: [Bool]? { sizes.map { _ in true } }

  public static func node(_ xs: [LayerNode]) throws -> LayerNode {
    guard let first = xs.first else { throw LayerError(.argument, "concat needs at least one value") }
    for (i, x) in xs.enumerated() {
      try requireFeatures(x, "concat", argument: i)
      guard x.level == first.level else {
        throw LayerError.level(
          "concat", argument: i, expected: first.adjectiveLevel, got: x.level,
          help: "all values must have the same level; lift item-level values with seq(x)")
      }
    }
    return LayerNode(ConcatLayer(xs.map(\.features)), inputs: xs, level: first.level, features: xs.reduce(0) { $0 + $1.features })
  }
}

/// `add(a, b)` and `mul(a, b)`: elementwise, same level and size (MIN_add, MIN_dot fusions).
public final class CombineLayer: Layer {
  public var callName: String { kind == .add ? "add" : "mul" }
  public let kind: Elementwise.Kind
  public let features: Int
  init(_ kind: Elementwise.Kind, _ features: Int) {
    self.kind = kind
    self.features = features
  }
  public var weights: [Weight] { [] }
  public var description: String { "\(kind == .add ? "Add" : "Mul")(\(features))" }
  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID { try c.graph.apply(Elementwise(kind), inputs) }
  public var lastPositionInputs: [Bool]? { [true, true] }

  public static func node(_ kind: Elementwise.Kind, _ a: LayerNode, _ b: LayerNode) throws -> LayerNode {
    let name = kind == .add ? "add" : "mul"
    try requireFeatures(a, name, argument: 0)
    try requireFeatures(b, name, argument: 1)
    guard a.level == b.level else {
      throw LayerError.level(name, argument: 1, expected: a.adjectiveLevel, got: b.level, help: "both values need the same level")
    }
    guard a.features == b.features else {
      throw LayerError(
        .features, argument: 1, "\(name) needs equal sizes, got \(a.features) and \(b.features)",
        help: "map one with dense(x, \(a.features))")
    }
    return LayerNode(CombineLayer(kind, a.features), inputs: [a, b], level: a.level, features: a.features)
  }
}

/// `seq(x)`: lifts an item-level value into the batch's sequences, `[items, d] → [batch, maxlen, d]`,
/// gathering each position's item row; padding positions are zero.
public final class SequenceLift: Layer {
  public var callName: String { "seq" }
  public let features: Int
  init(_ features: Int) { self.features = features }
  public var weights: [Weight] { [] }
  public var description: String { "Seq(\(features))" }
  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID {
    try c.graph.gather(inputs[0], c.sequence, paddingIndex: 0)
  }
  /// The item-level table is whole; only the last position's item is gathered.
  public var lastPositionInputs: [Bool]? { [false] }
  public func lowerLast(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID {
    try c.graph.gather(inputs[0], c.lastSequence, paddingIndex: 0)
  }

  public static func node(_ x: LayerNode) throws -> LayerNode {
    try requireFeatures(x, "seq", argument: 0)
    guard x.level == .item else {
      throw LayerError.level(
        "seq", argument: 0, expected: "an item-level", got: x.level,
        help: x.level == .token ? "reduce words to one vector per item first, e.g. gru(x, dim)" : "it is already a sequence")
    }
    return LayerNode(SequenceLift(x.features), inputs: [x], level: .sequence, features: x.features)
  }
}

/// `dropout(x, p)`: inverted dropout in training, identity in evaluation.
public final class DropoutLayer: Layer {
  public var callName: String { "dropout" }
  public let p: Float
  init(_ p: Float) { self.p = p }
  public var weights: [Weight] { [] }
  public var description: String { "Dropout(\(p))" }
  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID {
    c.training ? try c.graph.dropout(inputs[0], p) : inputs[0]
  }
  public var lastPositionInputs: [Bool]? { [true] }
  public static func node(_ x: LayerNode, p: Float) throws -> LayerNode {
    try requireFeatures(x, "dropout", argument: 0)
    try requireRate(p, "dropout")
    return LayerNode(DropoutLayer(p), inputs: [x], level: x.level, features: x.features)
  }
}

/// `layernorm(x)`: y = γ ⊙ (x − μ)/√(σ² + ε) + β over features, learned γ, β.
public final class LayerNormLayer: Layer {
  public var callName: String { "layernorm" }
  public let features: Int
  let gain, bias: Weight
  init(_ features: Int) {
    self.features = features
    gain = Weight("gain", [features], .ones)
    bias = Weight("bias", [features], .zeros)
  }
  public var weights: [Weight] { [gain, bias] }
  public var description: String { "LayerNorm(\(features))" }
  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID {
    let g = c.graph
    return try g.layerNorm(inputs[0], gain: g.parameter(gain.parameter), bias: g.parameter(bias.parameter))
  }
  public var lastPositionInputs: [Bool]? { [true] }
  public static func node(_ x: LayerNode) throws -> LayerNode {
    try requireFeatures(x, "layernorm", argument: 0)
    return LayerNode(LayerNormLayer(x.features), inputs: [x], level: x.level, features: x.features)
  }
}

extension LayerNode {
  /// `an item-level`, `a sequence-level`: with its article.
  var adjectiveLevel: String { level == .item ? "an item-level" : "a " + level.adjective }
}
