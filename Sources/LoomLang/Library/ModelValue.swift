import LoomGraph
import LoomLayers
import LoomRec

/// A model as a Loom value: a neural recommender or the popularity baseline, with what is needed
/// to continue training it (its optimiser and epoch count) and to rebuild it from a checkpoint
/// (the Loom source of the function that built it and the arguments it was called with).
public final class ModelValue: HostValue {
  public enum Kind {
    case neural(Recommender)
    case popularity(PopularityModel)
  }
  public let kind: Kind
  /// The model function's name and source (`def MIN(data, ...) { ... }`), when built by one.
  public var functionName: String?
  public var source: String?
  /// The call's bound arguments, data sets replaced by the name "data".
  public var arguments: [(name: String, value: Value)] = []
  public var optimizer: Adam?
  /// How it was trained (settings and instances), printed in every report's protocol.
  public var training: String?
  public var epochs = 0
  /// The data set value it was built on (layers share its catalogue).
  public let catalog: ItemCatalog?

  public init(_ kind: Kind, catalog: ItemCatalog?) {
    self.kind = kind
    self.catalog = catalog
  }

  public var ranking: any RankingModel {
    switch kind {
    case .neural(let r): return r
    case .popularity(let p): return p
    }
  }
  public var recommender: Recommender? {
    if case .neural(let r) = kind { return r }
    return nil
  }

  /// `MIN(data, dim: 64)`: how the model was called, for listings and checkpoints.
  public var call: String {
    guard let functionName else { return recommender == nil ? "Pop(data)" : "recommender(...)" }
    let shown = arguments.map { name, value -> String in
      if case .host = value { return name }
      return "\(name): \(ValueFormatter.repr(value))"
    }
    return "\(functionName)(\(shown.joined(separator: ", ")))"
  }

  public var typeName: String { "model" }
  public var description: String {
    switch kind {
    case .neural(let r):
      return "model \(call): \(r.layers.count) layers, \(Recommender.grouped(r.parameterCount)) parameters"
        + (epochs > 0 ? ", trained \(epochs) epoch\(epochs == 1 ? "" : "s")" : ", untrained")
    case .popularity: return "model Pop(data): items ranked by training popularity"
    }
  }
  public var fieldNames: [String] { ["parameters", "epochs", "name"] }
  public func field(_ name: String) throws -> Value? {
    switch name {
    case "parameters": return .number(Double(recommender?.parameterCount ?? 0))
    case "epochs": return .number(Double(epochs))
    case "name": return .string(functionName ?? (recommender == nil ? "Pop" : "recommender"))
    default: return nil
    }
  }
}
