import LoomGraph
import LoomTensor

/// Loom's engine graph, op by op, as ONNX nodes (opset 17).
///
/// The translation is of the evaluation user pass (`Recommender.userScoringGraph`): item tables
/// arrive as constants, parameters are initializers with their trained values, and the graph's
/// inputs are derived from the ONNX model's `history` (`GraphInputs`). Loom builds that graph
/// for one concrete batch; every value that depends on the batch has it as its leading axis, so
/// a reshape of such a value writes -1 there and the exported model takes any batch size.
///
/// Evaluation semantics throughout: dropout is the identity, and masked softmax, padded gathers
/// and the masked recurrences give exactly what the engine's forward pass gives (see each case).
struct GraphTranslation {
  let graph: Graph
  var onnx: ONNXGraphBuilder
  /// ONNX value names of translated nodes.
  private(set) var names: [NodeID: String] = [:]
  /// Nodes whose value depends on the input (and so on the batch).
  private var batchDependent: Set<NodeID> = []
  /// ONNX values for the engine graph's named inputs.
  let inputs: [String: String]

  init(graph: Graph, onnx: ONNXGraphBuilder, inputs: [String: String]) {
    self.graph = graph
    self.onnx = onnx
    self.inputs = inputs
  }

  /// Translates everything `outputs` needs, in node order, and returns their ONNX names.
  mutating func translate(_ outputs: [NodeID]) throws -> [String] {
    var needed = Set<NodeID>()
    var stack = outputs
    while let id = stack.popLast() {
      if needed.insert(id).inserted { stack += graph[id].inputs }
    }
    for id in needed.sorted() where names[id] == nil {
      let node = graph[id]
      if node.inputs.contains(where: { batchDependent.contains($0) }) { batchDependent.insert(id) }
      names[id] = try translate(node)
    }
    return outputs.map { names[$0]! }
  }

  private mutating func translate(_ node: Node) throws -> String {
    let hint = node.scope.isEmpty ? "model" : node.scope
    switch node.kind {
    case .input(let name, _):
      guard let value = inputs[name] else {
        throw ONNXExportError.unsupported(layer: node.scope, what: "the engine input '\(name)'")
      }
      batchDependent.insert(node.id)
      return value
    case .parameter(let p):
      return onnx.initializer(
        p.name, floats: UnsafeBufferPointer(start: p.value.pointer, count: p.shape.count), dims: p.shape.dims)
    case .constant(let t):
      if node.type == .int32 {
        let values = t.scalars.map { Int64(Int32(bitPattern: $0.bitPattern)) }
        return onnx.initializer("\(hint)/indices", integers: values, dims: t.shape.dims)
      }
      return onnx.initializer(
        "\(hint)/table", floats: UnsafeBufferPointer(start: t.pointer, count: t.count), dims: t.shape.dims)
    case .op(let op):
      return try translate(op, node, hint: hint)
    }
  }

  private func shape(_ id: NodeID) -> Shape { graph.shape(id) }

  /// `shape` for ONNX Reshape: -1 in the leading axis when the value carries the batch.
  private mutating func reshapeTarget(_ shape: Shape, of input: NodeID) -> String {
    var dims = shape.dims
    if batchDependent.contains(input), !dims.isEmpty { dims[0] = -1 }
    return onnx.integers(dims)
  }

  mutating func reshape(_ value: String, to shape: Shape, of input: NodeID, hint: String) -> String {
    onnx.apply("Reshape", [value, reshapeTarget(shape, of: input)], name: hint)
  }

  /// Swaps the last two axes of a rank-`rank` value.
  private mutating func transposeLastTwo(_ value: String, rank: Int, hint: String) -> String {
    var perm = Array(0..<rank)
    perm.swapAt(rank - 1, rank - 2)
    return onnx.apply("Transpose", [value], [Attribute.ints("perm", perm)], name: hint)
  }

  private mutating func translate(_ op: any Op, _ node: Node, hint: String) throws -> String {
    let x = node.inputs.map { names[$0]! }
    let s = node.inputs.map { shape($0) }
    switch op {
    case let m as MatMul:
      return matmul(m, x, s, hint: hint)
    case let scale as Scale:
      return onnx.apply("Mul", [x[0], onnx.scalar(scale.factor)], name: hint)
    case let e as Elementwise:
      let type = ["add": "Add", "sub": "Sub", "mul": "Mul"][e.kind.rawValue]!
      return onnx.apply(type, x, name: hint)  // Loom's suffix broadcasting is NumPy's
    case is BiasAdd:
      return onnx.apply("Add", x, name: hint)
    case is ScaleRows:
      // One factor per row: the factors take the row axes and a trailing 1 to broadcast.
      let factors = reshape(x[1], to: Shape(Array(s[0].dims.dropLast()) + [1]), of: node.inputs[1], hint: hint)
      return onnx.apply("Mul", [x[0], factors], name: hint)
    case let a as Activation:
      switch a.kind {
      case .relu: return onnx.apply("Relu", x, name: hint)
      case .sigmoid: return onnx.apply("Sigmoid", x, name: hint)
      case .tanh: return onnx.apply("Tanh", x, name: hint)
      case .gelu:  // exact GELU, ½x(1 + erf(x/√2)) (Gelu itself arrives in opset 20)
        let erf = onnx.apply("Erf", [onnx.apply("Mul", [x[0], onnx.scalar(0.707_106_77)], name: hint)], name: hint)
        let half = onnx.apply("Mul", [x[0], onnx.scalar(0.5)], name: hint)
        return onnx.apply("Mul", [half, onnx.apply("Add", [erf, onnx.scalar(1)], name: hint)], name: hint)
      }
    case is Dropout:
      return x[0]  // the identity at evaluation
    case is ReLUDropout:  // relu(x + b) at evaluation, the bias when the op carries one
      return onnx.apply("Relu", [x.count == 2 ? onnx.apply("Add", x, name: hint) : x[0]], name: hint)
    case is Concat:
      return onnx.apply("Concat", x, [Attribute.int("axis", -1)], name: hint)
    case let slice as SliceLast:
      return onnx.apply(
        "Slice", [x[0], onnx.integers([slice.start]), onnx.integers([slice.start + slice.length]), onnx.integers([-1])],
        name: hint)
    case let slice as SliceTime:
      return onnx.apply(
        "Slice", [x[0], onnx.integers([slice.start]), onnx.integers([slice.start + slice.length]), onnx.integers([1])],
        name: hint)
    case let shift as ShiftTime:
      // Zeros in front of the time axis, then the first L steps.
      let steps = min(shift.steps, s[0][1])
      var pads = [Int](repeating: 0, count: 2 * s[0].rank)
      pads[1] = steps
      let padded = onnx.apply("Pad", [x[0], onnx.integers(pads)], name: hint)
      return onnx.apply(
        "Slice", [padded, onnx.integers([0]), onnx.integers([s[0][1]]), onnx.integers([1])], name: hint)
    case let r as Reshape:
      return reshape(x[0], to: r.shape, of: node.inputs[0], hint: hint)
    case is SwapAxes12:
      return onnx.apply("Transpose", x, [Attribute.ints("perm", [0, 2, 1, 3])], name: hint)
    case let gather as Gather:
      return self.gather(gather, x, hint: hint)
    case let reduce as Reduce:
      let type = reduce.kind == .sum ? "ReduceSum" : "ReduceMean"
      let all = onnx.apply(type, [x[0]], [Attribute.int("keepdims", 0)], name: hint)
      return onnx.apply("Reshape", [all, onnx.integers([1])], name: hint)
    case is SumLast:
      let sum = onnx.apply("ReduceSum", [x[0], onnx.integers([-1])], [Attribute.int("keepdims", 0)], name: hint)
      return s[0].rank <= 1 ? onnx.apply("Reshape", [sum, onnx.integers([1])], name: hint) : sum
    case let norm as LayerNorm:
      // y = γ(x − μ)/√(σ² + ε) + β over the last axis, σ² the biased variance, as Loom's.
      return onnx.apply(
        "LayerNormalization", x, [Attribute.int("axis", -1), Attribute.float("epsilon", norm.epsilon)], name: hint)
    case let softmax as Softmax:
      return self.softmax(softmax, node, x, s, hint: hint)
    case is GRUScan:
      return gruScan(node, x, s, hint: hint)
    case is MemoryScan:
      return memoryScan(node, x, s, hint: hint)
    default:
      throw ONNXExportError.unsupported(layer: node.scope, what: "the op '\(op.name)'")
    }
  }

  /// Loom's two matmul forms: `[..., K]·[K, N]` (leading axes as rows) and batched products
  /// with the same leading axes; transposes apply to the last two axes, `scale` multiplies.
  private mutating func matmul(_ m: MatMul, _ x: [String], _ s: [Shape], hint: String) -> String {
    var (a, b) = (x[0], x[1])
    if s[1].rank == 2, s[0].rank == 2, !m.transposeA {
      // A plain matrix product: Gemm carries the transpose and the scale.
      var attributes = [Attribute.float("alpha", m.scale)]
      if m.transposeB { attributes.append(Attribute.int("transB", 1)) }
      return onnx.apply("Gemm", [a, b], attributes, name: hint)
    }
    if m.transposeA { a = transposeLastTwo(a, rank: s[0].rank, hint: hint) }
    if m.transposeB { b = transposeLastTwo(b, rank: s[1].rank, hint: hint) }
    let product = onnx.apply("MatMul", [a, b], name: hint)
    return m.scale == 1 ? product : onnx.apply("Mul", [product, onnx.scalar(m.scale)], name: hint)
  }

  /// Rows of a table at int64 indices; the padding index gives a zero row, as in Loom.
  private mutating func gather(_ gather: Gather, _ x: [String], hint: String) -> String {
    let rows = onnx.apply("Gather", x, [Attribute.int("axis", 0)], name: hint)
    guard let padding = gather.paddingIndex else { return rows }
    let isPadding = onnx.apply(
      "Equal", [x[1], onnx.index(Int(padding))], name: hint)
    let column = onnx.apply("Unsqueeze", [isPadding, onnx.integers([-1])], name: hint)
    return onnx.apply("Where", [column, onnx.scalar(0), rows], name: hint)
  }

  /// Masked (causal) softmax over the last axis of `[batch·heads, Lq, Lk]` scores. A key is
  /// visible when the mask says it is real and, if causal, j ≤ i + (Lk − Lq). Hidden keys get
  /// the lowest float before Softmax and exact zeros after it, so a row with no visible key
  /// (a padding query) is all zeros, as Loom's op gives it, not NaN.
  private mutating func softmax(_ op: Softmax, _ node: Node, _ x: [String], _ s: [Shape], hint: String) -> String {
    let scores = s[0]
    let (lq, lk) = (scores.rank >= 2 ? scores[-2] : 1, scores.last)
    var visible: String?
    if op.causal {
      let offset = lk - lq
      let allowed = (0..<lq).flatMap { i in (0..<lk).map { j in j <= i + offset } }
      visible = onnx.initializer("\(hint)/causal", booleans: allowed, dims: [lq, lk])
    }
    var input = x[0]
    if x.count == 2 {
      // The key mask [batch, Lk] against scores viewed as [batch, heads, Lq, Lk].
      let real = onnx.apply("Greater", [x[1], onnx.scalar(0)], name: hint)
      let keys = onnx.apply("Reshape", [real, onnx.integers([-1, 1, 1, lk])], name: hint)
      input = onnx.apply("Reshape", [input, onnx.integers([-1, op.heads, lq, lk])], name: hint)
      visible = visible.map { onnx.apply("And", [$0, keys], name: hint) } ?? keys
    }
    var y: String
    if let visible {
      let hidden = onnx.apply("Where", [visible, input, onnx.scalar(-Float.greatestFiniteMagnitude)], name: hint)
      let weights = onnx.apply("Softmax", [hidden], [Attribute.int("axis", -1)], name: hint)
      y = onnx.apply("Where", [visible, weights, onnx.scalar(0)], name: hint)
    } else {
      y = onnx.apply("Softmax", [input], [Attribute.int("axis", -1)], name: hint)
    }
    if x.count == 2 { y = reshape(y, to: scores, of: node.inputs[0], hint: hint) }
    return y
  }
}

/// What cannot leave Loom as ONNX, or could not be written.
public enum ONNXExportError: Error, CustomStringConvertible {
  case unsupported(layer: String, what: String)
  case badArgument(String)
  case cannotWrite(String)

  public var description: String {
    switch self {
    case .unsupported(let layer, let what):
      return "\(layer.isEmpty ? "the model" : "layer \(layer)") uses \(what), which has no ONNX form in Loom's export"
    case .badArgument(let why), .cannotWrite(let why): return why
    }
  }
}
