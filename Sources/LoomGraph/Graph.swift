import LoomTensor

/// Index of a node in its graph.
public typealias NodeID = Int

public enum ElementType: Sendable { case float32, int32 }

/// What a node is: data fed each run, a parameter, a constant tensor, or an op over other nodes.
public enum NodeKind: @unchecked Sendable {
  case input(name: String, type: ElementType)
  case parameter(Parameter)
  case constant(Tensor)
  case op(any Op)
}

public struct Node: @unchecked Sendable {
  public let id: NodeID
  public let kind: NodeKind
  public let inputs: [NodeID]
  public let shape: Shape
  public let type: ElementType
  /// The layer that made this node (`selfatt#2`), for listings and error messages.
  public let scope: String

  public var name: String {
    switch kind {
    case .input(let name, _): return "input \(name)"
    case .parameter(let p): return "param \(p.name)"
    case .constant: return "constant"
    case .op(let op): return op.name
    }
  }
}

/// A symbolic computation, built node by node. Shapes are inferred as each node is added, so a
/// mismatch is reported at the layer call that made it; `compile` then orders, prunes and plans.
public final class Graph: @unchecked Sendable {
  public private(set) var nodes: [Node] = []
  /// Added to every node's scope; layers set it while they build.
  public var scope = ""
  private var inputNames: [String: NodeID] = [:]

  public init() {}

  public subscript(id: NodeID) -> Node { nodes[id] }
  public func shape(_ id: NodeID) -> Shape { nodes[id].shape }

  /// Data fed before each run (`feed`), e.g. the batch's item indices.
  public func input(_ name: String, _ shape: Shape, type: ElementType = .float32) -> NodeID {
    if let existing = inputNames[name] { return existing }
    let id = append(.input(name: name, type: type), [], shape, type)
    inputNames[name] = id
    return id
  }

  public func inputID(_ name: String) -> NodeID? { inputNames[name] }

  public func parameter(_ p: Parameter) -> NodeID { append(.parameter(p), [], p.shape, .float32) }

  public func constant(_ t: Tensor) -> NodeID { append(.constant(t), [], t.shape, .float32) }

  /// A constant of Int32 indices (stored bit for bit in a float buffer).
  public func constant(indices: [Int32], _ shape: Shape) -> NodeID {
    let bits = indices.map { Float(bitPattern: UInt32(bitPattern: $0)) }
    return append(.constant(Tensor(shape: shape, values: bits)), [], shape, .int32)
  }

  /// Adds `op` over `inputs`, checking the input types and inferring the output shape.
  @discardableResult
  public func apply(_ op: any Op, _ inputs: NodeID...) throws(ShapeError) -> NodeID {
    try apply(op, inputs)
  }

  @discardableResult
  public func apply(_ op: any Op, _ inputs: [NodeID]) throws(ShapeError) -> NodeID {
    let shapes = inputs.map { nodes[$0].shape }
    for (i, input) in inputs.enumerated() {
      let wantsIndices = op.integerInputs.contains(i)
      if wantsIndices != (nodes[input].type == .int32) {
        throw ShapeError(
          op.name, shapes, "input \(i + 1) must hold \(wantsIndices ? "integer indices" : "floats")")
      }
    }
    let shape = try op.outputShape(shapes)
    return append(.op(op), inputs, shape, .float32)
  }

  private func append(_ kind: NodeKind, _ inputs: [NodeID], _ shape: Shape, _ type: ElementType) -> NodeID {
    let id = nodes.count
    nodes.append(Node(id: id, kind: kind, inputs: inputs, shape: shape, type: type, scope: scope))
    return id
  }
}
