import LoomLayers

/// A symbolic layer value (`embed(...)`, `selfatt(...)`): printed as its layer, level and shape.
public final class NodeValue: HostValue {
  public let node: LayerNode
  public init(_ node: LayerNode) { self.node = node }
  public var typeName: String { "node" }
  public var description: String { node.description }
  public var fieldNames: [String] { ["level", "features"] }
  public func field(_ name: String) throws -> Value? {
    switch name {
    case "level": return .string(node.level.rawValue)
    case "features": return .number(Double(node.features))
    default: return nil
    }
  }
}
