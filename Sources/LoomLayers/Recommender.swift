import LoomGraph
import LoomTensor

/// `recommender(user: u, item: v)`: the model. score(user, item) = u at the user's last
/// position · v of the item. A model answers three questions: its training loss on a batch,
/// the scores of every item for a batch of users, and (through `LayerNode`s) what it is made of.
///
/// Auxiliary losses registered by `encdec` and `infonce` on any value of the model before this
/// call are added with their weights; L2 on parameters is the optimiser's weight decay.
public final class Recommender: @unchecked Sendable, CustomStringConvertible {
  public let user: LayerNode
  public let item: LayerNode
  public let catalog: ItemCatalog
  public let auxiliaryLosses: [(node: LayerNode, weight: Float)]
  /// Every layer once, in the order values were made; `names` gives `selfatt#2`-style names.
  public let layers: [any Layer]
  public let names: [ObjectIdentifier: String]
  /// Every parameter with its checkpoint name (`gru#1.w_hh`), in a fixed order.
  public let parameters: [(name: String, weight: Weight)]
  /// Bumped whenever parameters change, so cached item tables are recomputed.
  public private(set) var version = 0
  /// Whether `fit` has trained it (a second `fit` continues instead of re-initialising).
  public var trained = false
  /// Matrix-product FLOPs done by training steps so far (forward and backward), for benchmarks.
  public var trainingFLOPs = 0.0
  /// Set to time every op of training and scoring.
  public var profiler: OpProfiler?

  var trainingPrograms: [TrainingProgram.Key: TrainingProgram] = [:]
  /// The memory every training program runs in (`SharedArena`).
  public let trainingArena = SharedArena()
  /// How many training programs stay compiled: each holds its op list and small constants, its
  /// buffers live in `trainingArena`.
  static let trainingProgramLimit = 64
  var trainingUses = 0
  /// Training programs compiled so far (a cache miss each); `loom bench` reports it, since a
  /// run whose batches fall into more shapes than the cache holds recompiles mid-epoch.
  public internal(set) var trainingCompilations = 0
  /// Wall seconds those compilations took.
  public internal(set) var trainingCompilationSeconds = 0.0
  var evaluation = EvaluationCache()

  public init(user: LayerNode, item: LayerNode) throws {
    guard user.level == .sequence, !user.isIndex else {
      throw LayerError.level(
        "recommender", argument: 0, expected: "a sequence-level user", got: user.level,
        help: "pass the output of selfatt, gru or memory over seq(...)")
    }
    guard item.level == .item, !item.isIndex else {
      throw LayerError(
        .level(expected: "an item-level", got: item.level), argument: 1,
        "recommender expects an item-level item representation, got \(item.isIndex ? "ids" : item.level.adjective)",
        help: item.isIndex ? "embed them: embed(items(data), dim)" : nil)
    }
    guard user.features == item.features else {
      throw LayerError(
        .features, argument: 1, "recommender needs user and item of one size, got \(user.features) and \(item.features)",
        help: "map one side with dense(x, \(item.features))")
    }
    guard let catalog = Self.catalog(of: user) ?? Self.catalog(of: item) else {
      throw LayerError(.data, "recommender: the model uses no data set (no items(...), words(...) or features(...))")
    }
    self.user = user
    self.item = item
    self.catalog = catalog
    auxiliaryLosses = Draft.join([user.draft, item.draft]).losses

    // One pass: each layer gets its name (`selfatt#2`: the second selfatt in build order), and its
    // parameters are named after it.
    var seen = Set<ObjectIdentifier>()
    var layers: [any Layer] = []
    var counts: [String: Int] = [:]
    var names: [ObjectIdentifier: String] = [:]
    var parameters: [(name: String, weight: Weight)] = []
    for node in Self.ancestry([user, item] + auxiliaryLosses.map(\.node)) where seen.insert(ObjectIdentifier(node.layer)).inserted
    {
      layers.append(node.layer)
      let kind = node.layer.callName
      let count = counts[kind, default: 0] + 1
      counts[kind] = count
      let name = "\(kind)#\(count)"
      names[ObjectIdentifier(node.layer)] = name
      parameters += node.layer.weights.map { ("\(name).\($0.parameter.name)", $0) }
    }
    self.layers = layers
    self.names = names
    self.parameters = parameters
  }

  /// Whether prefix-mode training may fold the prefixes that start at a user's first item into
  /// one row (`TrainingInstances.foldPrefixes`) and get exactly the predictions of the separate
  /// prefixes: true for causal models without end-anchored positions (GRU4Rec, MFN4Rec).
  public var prefixesFoldExactly: Bool { !layers.contains { $0.anchorsPositionsAtRowEnd } }

  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.weight.parameter.count } }
  public var trainableParameters: [Parameter] { parameters.map(\.weight.parameter) }
  public var description: String {
    "Recommender(\(user.features)-d, \(layers.count) layers, \(parameterCount) parameters"
      + (auxiliaryLosses.isEmpty ? "" : ", \(auxiliaryLosses.count) auxiliary losses") + ")"
  }
  public func name(of layer: any Layer) -> String { names[ObjectIdentifier(layer)] ?? "\(layer)" }

  /// Redraws every parameter from `seed` (one derived stream per parameter, in order) and
  /// clears the optimiser moments: the same seed gives the same model.
  public func initialize(seed: UInt64) {
    var master = SeededRandom(seed: seed)
    for (_, w) in parameters {
      var r = master.split()
      w.initializer.fill(w.parameter, &r)
      w.parameter.moment1.pointer.update(repeating: 0, count: w.parameter.count)
      w.parameter.moment2.pointer.update(repeating: 0, count: w.parameter.count)
    }
    parametersChanged()
  }

  /// Call after changing parameter values from outside (optimiser steps do it themselves).
  public func parametersChanged() { version += 1 }

  static func ancestry(_ roots: [LayerNode]) -> [LayerNode] {
    var seen = Set<ObjectIdentifier>()
    var order: [LayerNode] = []
    for r in roots { for n in r.ancestry where seen.insert(ObjectIdentifier(n)).inserted { order.append(n) } }
    return order
  }

  static func catalog(of node: LayerNode) -> ItemCatalog? {
    for n in node.ancestry {
      if let s = n.layer as? ItemIDs { return s.catalog }
      if let s = n.layer as? WordIDs { return s.catalog }
      if let s = n.layer as? ItemFeatures { return s.catalog }
    }
    return nil
  }
}
