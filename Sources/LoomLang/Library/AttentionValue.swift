/// `attention(model, data, user)`: the attention weights of every self- and cross-attention
/// layer over one user's most recent items, each map labelled with item titles (MIN Fig. 7).
/// `heatmap(a)` draws the first map; `a[i]` is map i as a record (layer, head, weights, labels).
public final class AttentionValue: HostValue {
  public struct Map {
    public var layer: String
    public var head: Int
    public var weights: [[Double]]
  }
  public let user: String
  public let labels: [String]
  public let maps: [Map]

  init(user: String, labels: [String], maps: [Map]) {
    (self.user, self.labels, self.maps) = (user, labels, maps)
  }

  func record(_ m: Map) -> Record {
    Record(
      keys: ["layer", "head", "weights", "labels"],
      values: [
        .string(m.layer), .number(Double(m.head)),
        .list(m.weights.map { .list($0.map { .number($0) }) }), .list(labels.map { .string($0) }),
      ])
  }

  public var typeName: String { "attention" }
  public var description: String {
    "attention of user \(user) over \(labels.count) items: " + maps.map { "\($0.layer) head \($0.head)" }.joined(separator: ", ")
  }
  public var length: Int? { maps.count }
  public func elements() throws -> [Value]? { maps.map { .record(record($0)) } }
  public func element(at index: Value) throws -> Value? {
    guard case .number(let n) = index else { return nil }
    let i = Int(n) < 0 ? maps.count + Int(n) : Int(n)
    return i >= 0 && i < maps.count ? .record(record(maps[i])) : nil
  }
  public var fieldNames: [String] { ["user", "labels", "layers"] }
  public func field(_ name: String) throws -> Value? {
    switch name {
    case "user": return .string(user)
    case "labels": return .list(labels.map { .string($0) })
    case "layers": return .list(maps.map { .string($0.layer) })
    default: return nil
    }
  }
}
