import LoomLayers
import LoomRec

/// A model as a Loom value: a training run (a neural recommender or the popularity baseline,
/// with its optimiser state and epoch count) and what is needed to rebuild it from a checkpoint
/// (the Loom source of the function that built it and the arguments it was called with).
public final class ModelValue: HostValue {
  public let run: TrainingRun
  /// The model function's name and source (`def MIN(data, ...) { ... }`), when built by one.
  public var functionName: String?
  public var source: String?
  /// The call's bound arguments, data sets replaced by the name "data".
  public var arguments: [(name: String, value: Value)] = []
  /// The data set value it was built on (layers share its catalogue).
  public let catalog: ItemCatalog?

  public init(_ model: TrainingRun.Model, catalog: ItemCatalog?) {
    self.run = TrainingRun(model)
    self.catalog = catalog
  }

  public var ranking: any RankingModel { run.ranking }
  public var recommender: Recommender? { run.recommender }
  /// The epoch whose parameters the model holds.
  public var epochs: Int { run.epochs }
  /// How it was trained (settings and instances), printed in every report's protocol.
  public var training: String? { run.training }

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
    switch run.model {
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
