import LoomGraph
import LoomTensor

/// `dense(x, dim, act: "none", dropout: 0)`: y = act(dropout(x)·W + b) over the last axis, at
/// any level. Dropout acts on the input, as MFN4Rec's Table 1 FC layers are read (torch-ref F7).
///
/// Initialisation: W is Xavier-normal, except over a frozen item feature table
/// (`dense(features(data, name), dim)`, MIN §4.1's e_v = W_v·CNN(v)), where W ~ N(0, σ) with
/// σ = 0.02 / rms(x), rms(x)² the mean squared row norm of the table's items: each output
/// feature then starts with standard deviation 0.02 over the catalogue, the scale of an ID
/// embedding. The papers leave this open; Xavier over pretrained vectors (CLIP rows have norm
/// ≈ 10) gives item vectors some 30× the ID embedding's scale, and concatenated into the item
/// side (MIN eq. 1) they saturate the first scores and the reconstruction targets (L_i) — MIN
/// then learns nothing for many epochs (docs/layers.md, "Choices where the papers are open").
public final class Dense: Layer {
  public var callName: String { "dense" }
  public let input: Int
  public let output: Int
  public let activation: Activation.Kind?
  public let dropout: Float
  let w: Weight
  let b: Weight

  init(_ input: Int, _ output: Int, activation: Activation.Kind?, dropout: Float, weightInit: Initializer? = nil) {
    self.input = input
    self.output = output
    self.activation = activation
    self.dropout = dropout
    w = Weight("weight", [input, output], weightInit ?? .xavierNormal(fanIn: input, fanOut: output))
    b = Weight("bias", [output], .zeros)
  }
  public var weights: [Weight] { [w, b] }
  public var description: String {
    "Dense(\(input) => \(output)" + (activation.map { ", \($0.rawValue)" } ?? "") + (dropout > 0 ? ", dropout: \(dropout)" : "")
      + ")"
  }

  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID {
    let g = c.graph
    let x = c.training ? try g.dropout(inputs[0], dropout) : inputs[0]
    if activation == .relu {  // bias add and relu as one op (`ReLUDropout`, rate 0)
      return try g.linearReLUDropout(x, g.parameter(w.parameter), g.parameter(b.parameter), 0)
    }
    let y = try g.linear(x, g.parameter(w.parameter), g.parameter(b.parameter))
    return try activation.map { kind throws in try g.activation(kind, y) } ?? y
  }
  public var lastPositionInputs: [Bool]? { [true] }

  /// Activation names the language accepts.
  public static func activation(named name: String) throws -> Activation.Kind? {
    if name == "none" || name == "linear" { return nil }
    guard let kind = Activation.Kind(rawValue: name) else {
      throw LayerError(.argument, "unknown activation '\(name)'", help: "use one of none, relu, gelu, sigmoid, tanh")
    }
    return kind
  }

  public static func node(_ x: LayerNode, dim: Int, activation: Activation.Kind? = nil, dropout: Float = 0) throws -> LayerNode {
    try requireFeatures(x, "dense", argument: 0)
    try requireSize(dim, "dense", "the size", argument: 1)
    try requireTable(x.features, dim, "dense")
    try requireRate(dropout, "dense")
    var weightInit: Initializer? = nil
    if let table = (x.layer as? ItemFeatures)?.table {
      weightInit = .normal(std: Embedding.scale / max(rootMeanSquareRowNorm(table), 1e-6))
    }
    return LayerNode(
      Dense(x.features, dim, activation: activation, dropout: dropout, weightInit: weightInit),
      inputs: [x], level: x.level, features: dim)
  }

  /// sqrt(mean over rows 1... of ‖row‖²): the typical length of a real item's feature vector
  /// (row 0 is the padding item).
  static func rootMeanSquareRowNorm(_ table: Tensor) -> Float {
    let rows = table.shape[0]
    let cols = table.shape[1]
    guard rows > 1 else { return 1 }
    var sum: Double = 0
    let v = table.pointer
    for i in cols..<(rows * cols) { sum += Double(v[i]) * Double(v[i]) }
    return Float((sum / Double(rows - 1)).squareRoot())
  }
}

/// A value with features (not ids, not a loss).
func requireFeatures(_ x: LayerNode, _ layer: String, argument: Int) throws {
  if x.isIndex {
    throw LayerError(
      .argument, argument: argument, "\(layer) expects features, got ids",
      help: "embed them first: embed(\(x.level == .token ? "words" : "items")(data), dim)")
  }
  if x.level == .loss {
    throw LayerError(.level(expected: "a feature", got: .loss), argument: argument, "\(layer) cannot take a loss term")
  }
}

/// Sizes beyond these are mistakes (a typo like `dim: 64e6`), not models: refuse them before
/// anything is allocated.
let largestDimension = 1 << 16
let largestTable = 1 << 28

func requireSize(_ n: Int, _ layer: String, _ what: String, argument: Int? = nil) throws {
  guard n > 0, n <= largestDimension else {
    throw LayerError(.argument, argument: argument, "\(layer): \(what) must be between 1 and \(largestDimension), got \(n)")
  }
}

func requireTable(_ rows: Int, _ columns: Int, _ layer: String) throws {
  guard rows.multipliedReportingOverflow(by: columns).partialValue <= largestTable, rows < largestTable, columns < largestTable
  else {
    throw LayerError(.argument, "\(layer): a \(rows) x \(columns) table is too large (limit \(largestTable) values)")
  }
}

func requireRate(_ p: Float, _ layer: String) throws {
  guard p >= 0, p < 1 else { throw LayerError(.argument, "\(layer): dropout must be in [0, 1), got \(p)") }
}
