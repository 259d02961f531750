import LoomGraph
import LoomTensor

/// A tiny data set for layer gradient checks: 6 items with 3-word texts over 8 words, 4-d
/// visual features, and a batch of 2 left-padded sequences of length 4.
public enum GradientFixture {
  public static let catalog: ItemCatalog = {
    var random = SeededRandom(seed: 42)
    let words: [Int32] = [0, 0, 0, 2, 3, 0, 4, 5, 6, 7, 2, 0, 3, 3, 5, 6, 0, 0, 7, 4, 2]
    let visual = Tensor(shape: [7, 4], values: (0..<28).map { $0 < 4 ? 0 : 2 * random.nextUniform() - 1 })
    return ItemCatalog(name: "fixture", itemCount: 6, words: words, maxWords: 3, vocabularySize: 8, features: ["visual": visual])
  }()
  public static let sequence: [Int32] = [0, 1, 2, 3, 4, 5, 6, 1]

  /// Lowers `make(catalog)` in a training pass into the check's graph and feeds the inputs it uses.
  public static func layerCase(_ name: String, _ make: @escaping @Sendable (ItemCatalog) throws -> LayerNode) -> GradientCheckCase
  {
    GradientCheckCase(name) { b in
      let node = try make(catalog)
      let rows = catalog.itemCount + 1
      let c = Lowering(pass: .training, catalog: catalog, batch: 2, maxlen: 4, itemRows: rows, graph: b.graph)
      let out = try c.lower(node)
      var seen = Set<ObjectIdentifier>()
      for n in node.ancestry where seen.insert(ObjectIdentifier(n.layer)).inserted {
        for w in n.layer.weights {
          // Zero-initialised biases would put ReLU inputs of zero rows (padding) exactly on the
          // kink, where finite differences are meaningless: jitter every value first.
          for i in 0..<w.parameter.count { w.parameter.value.pointer[i] += 0.2 * b.random.nextUniform() - 0.1 }
          b.check(w.parameter)
        }
      }
      let g = b.graph
      if g.inputID("items") != nil { _ = b.indices("items", [rows], (0..<rows).map(Int32.init)) }
      if g.inputID("words") != nil { _ = b.indices("words", [rows, 3], catalog.words) }
      if g.inputID("word mask") != nil { _ = b.floats("word mask", [rows, 3], catalog.words.map { $0 != 0 ? 1 : 0 }) }
      if g.inputID("word weights") != nil { _ = b.floats("word weights", [rows, 3], catalog.tfidf) }
      if g.inputID("item weights") != nil { _ = b.floats("item weights", [rows], [0, 2, 1, 1, 1, 1, 1]) }
      if g.inputID("sequence") != nil { _ = b.indices("sequence", [2, 4], sequence) }
      if g.inputID("sequence mask") != nil { _ = b.floats("sequence mask", [2, 4], sequence.map { $0 != 0 ? 1 : 0 }) }
      return out
    }
  }
}

extension GradientCheck {
  /// The gradient-check case of every layer, over `GradientFixture`.
  public static let layerCases: [GradientCheckCase] = {
    typealias F = GradientFixture
    @Sendable func id(_ c: ItemCatalog, _ d: Int = 4) throws -> LayerNode { try Embedding.node(ItemIDs.node(c), dim: d) }
    return [
      F.layerCase("layer embed") { c in try id(c) },
      F.layerCase("layer dense") { c in try Dense.node(ItemFeatures.node(c, "visual"), dim: 3, activation: .tanh) },
      F.layerCase("layer gru over words") { c in try GRU.node(Embedding.node(WordIDs.node(c), dim: 3), hidden: 4) },
      F.layerCase("layer gru over sequence") { c in try GRU.node(SequenceLift.node(id(c)), hidden: 3) },
      F.layerCase("layer selfatt") { c in try SelfAttention.node(SequenceLift.node(id(c)), layers: 2, heads: 2, maxlen: 5, ffn: 6)
      },
      F.layerCase("layer crossatt") { c in
        try CrossAttention.node(SequenceLift.node(id(c)), SequenceLift.node(ItemFeatures.node(c, "visual")), heads: 2)
      },
      F.layerCase("layer encdec") { c in
        try EncoderDecoder.node(ItemFeatures.node(c, "visual"), id(c, 3), hidden: 5)
      },
      F.layerCase("layer encdec loss") { c in
        let t = try EncoderDecoder.node(ItemFeatures.node(c, "visual"), id(c, 3), hidden: 5)
        return Recommender.losses(of: t)[0].node
      },
      F.layerCase("layer memory") { c in
        let a = try GRU.node(SequenceLift.node(id(c)), hidden: 3)
        let b = try SequenceLift.node(ItemFeatures.node(c, "visual"))
        return try Memory.node([a, b], size: 3, hidden: 5)
      },
      F.layerCase("layer tfidf") { c in try TFIDF.node(WordIDs.node(c), dim: 3) },
      F.layerCase("layer infonce") { c in
        try InfoNCE.node(SequenceLift.node(id(c)), SequenceLift.node(ItemFeatures.node(c, "visual")))
      },
      F.layerCase("layer layernorm") { c in try LayerNormLayer.node(ItemFeatures.node(c, "visual")) },
      F.layerCase("layer concat, add, mul") { c in
        let v = try ItemFeatures.node(c, "visual")
        return try CombineLayer.node(.mul, ConcatLayer.node([id(c, 2), id(c, 2)]), CombineLayer.node(.add, v, id(c)))
      },
    ]
  }()
}

extension Recommender {
  /// The auxiliary losses registered on the model a value belongs to.
  public static func losses(of node: LayerNode) -> [(node: LayerNode, weight: Float)] { node.draft.losses }
}
