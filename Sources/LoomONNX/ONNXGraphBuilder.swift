import Foundation
import SwiftProtobuf

/// An ONNX graph under construction: unique value names, nodes in the order they are added
/// (which is topological, as ONNX requires), initializers stored as raw little-endian data, and
/// the small constants the translation needs (scalars, shapes, axes), each stored once.
///
/// The protobuf messages are `Generated/onnx.pb.swift` (swift-protobuf from onnx.proto).
struct ONNXGraphBuilder {
  var graph = Onnx_GraphProto()
  private var used: [String: Int] = [:]
  private var floatScalars: [Float: String] = [:]
  private var integerLists: [[Int64]: String] = [:]
  private var integerScalars: [Int64: String] = [:]

  /// Keeps `names` (the graph's inputs and outputs) from ever being given to another value.
  mutating func reserve(_ names: [String]) {
    for name in names { used[name, default: 0] += 1 }
  }

  /// A fresh value name from a readable hint (`selfatt#2/matmul`, `selfatt#2/matmul.1`, ...).
  mutating func fresh(_ hint: String) -> String {
    let base = hint.isEmpty ? "value" : hint
    let n = used[base, default: 0]
    used[base] = n + 1
    return n == 0 ? base : "\(base).\(n)"
  }

  /// Adds a node and returns its outputs' names.
  @discardableResult
  mutating func node(
    _ type: String, _ inputs: [String], _ attributes: [Onnx_AttributeProto] = [], outputs: Int = 1, name hint: String
  ) -> [String] {
    var node = Onnx_NodeProto()
    node.opType = type
    let base = "\(hint)/\(type)"
    node.name = fresh(base)
    node.input = inputs
    node.output = (0..<outputs).map { _ in fresh(base) }
    node.attribute = attributes
    graph.node.append(node)
    return node.output
  }

  /// A node with one output.
  mutating func apply(_ type: String, _ inputs: [String], _ attributes: [Onnx_AttributeProto] = [], name hint: String)
    -> String
  {
    node(type, inputs, attributes, name: hint)[0]
  }

  /// Gives `value` a public name (a graph output, reserved with `reserve`) through an Identity.
  mutating func output(_ value: String, as name: String) {
    var node = Onnx_NodeProto()
    node.opType = "Identity"
    node.name = fresh("\(name)/Identity")
    node.input = [value]
    node.output = [name]
    graph.node.append(node)
  }

  /// A float32 initializer (raw data, little-endian, as the spec asks for raw_data).
  mutating func initializer(_ name: String, floats: UnsafeBufferPointer<Float>, dims: [Int]) -> String {
    var raw = Data(count: floats.count * 4)
    raw.withUnsafeMutableBytes { bytes in
      for (i, v) in floats.enumerated() { bytes.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self) }
    }
    return initializer(name, .float, dims: dims, raw: raw)
  }

  /// An initializer of `type` from its raw bytes.
  private mutating func initializer(_ name: String, _ type: Onnx_TensorProto.DataType, dims: [Int], raw: Data) -> String {
    var tensor = Onnx_TensorProto()
    tensor.name = fresh(name)
    tensor.dataType = Int32(type.rawValue)
    tensor.dims = dims.map(Int64.init)
    tensor.rawData = raw
    graph.initializer.append(tensor)
    return tensor.name
  }

  mutating func initializer(_ name: String, floats: [Float], dims: [Int]) -> String {
    floats.withUnsafeBufferPointer { initializer(name, floats: $0, dims: dims) }
  }

  /// An int64 initializer (indices, shapes, axes).
  mutating func initializer(_ name: String, integers: [Int64], dims: [Int]) -> String {
    var raw = Data(count: integers.count * 8)
    raw.withUnsafeMutableBytes { bytes in
      for (i, v) in integers.enumerated() { bytes.storeBytes(of: v.littleEndian, toByteOffset: 8 * i, as: Int64.self) }
    }
    return initializer(name, .int64, dims: dims, raw: raw)
  }

  /// A boolean initializer (masks fixed at export, such as the causal one).
  mutating func initializer(_ name: String, booleans: [Bool], dims: [Int]) -> String {
    initializer(name, .bool, dims: dims, raw: Data(booleans.map { $0 ? 1 : 0 }))
  }

  /// A float scalar (rank 0), once per value.
  mutating func scalar(_ value: Float) -> String {
    if let name = floatScalars[value] { return name }
    let name = initializer("const.\(value)", floats: [value], dims: [])
    floatScalars[value] = name
    return name
  }

  /// A 1-D int64 tensor (shapes, axes, starts and ends), once per list.
  mutating func integers(_ values: [Int]) -> String {
    let key = values.map(Int64.init)
    if let name = integerLists[key] { return name }
    let name = initializer("const.[\(values.map(String.init).joined(separator: ","))]", integers: key, dims: [values.count])
    integerLists[key] = name
    return name
  }

  /// An int64 scalar (rank 0): a Gather index, a padding id.
  mutating func index(_ value: Int) -> String {
    if let name = integerScalars[Int64(value)] { return name }
    let name = initializer("const.\(value)", integers: [Int64(value)], dims: [])
    integerScalars[Int64(value)] = name
    return name
  }

  /// A graph input or output of a tensor type; a nil dimension is the symbolic `batch`.
  static func valueInfo(_ name: String, _ type: Onnx_TensorProto.DataType, _ dims: [Int?], doc: String = "")
    -> Onnx_ValueInfoProto
  {
    var info = Onnx_ValueInfoProto()
    info.name = name
    info.docString = doc
    var tensor = Onnx_TypeProto.Tensor()
    tensor.elemType = Int32(type.rawValue)
    tensor.shape.dim = dims.map { d in
      var dim = Onnx_TensorShapeProto.Dimension()
      if let d { dim.dimValue = Int64(d) } else { dim.dimParam = "batch" }
      return dim
    }
    info.type.tensorType = tensor
    return info
  }
}

/// Node attributes, spelled as in the ONNX operator documentation.
enum Attribute {
  static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .int
    a.i = Int64(value)
    return a
  }
  static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .ints
    a.ints = values.map(Int64.init)
    return a
  }
  static func float(_ name: String, _ value: Float) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .float
    a.f = value
    return a
  }
}
