import LoomGraph
import LoomTensor

/// `tfidf(words, dim)`: an item's text vector as the TF-IDF weighted sum of its words'
/// embeddings (MFN4Rec §3.1): x_i = Σ_w tfidf(w, i) · E[w], weights from the item corpus
/// (`ItemCatalog.tfidf`). The table E `[vocabulary, dim]` is learned. Shapes:
/// words `[items, words]` → `[items, dim]`, as one batched product `[items, 1, W]·[items, W, dim]`.
public final class TFIDF: Layer {
  public var callName: String { "tfidf" }
  public let vocabulary, dim: Int
  let table: Weight

  init(vocabulary: Int, dim: Int) {
    (self.vocabulary, self.dim) = (vocabulary, dim)
    table = Weight("embedding", [vocabulary, dim], .embedding(std: 0.02))
  }
  public var weights: [Weight] { [table] }
  public var description: String { "TFIDF(\(vocabulary) => \(dim))" }

  public func lower(_ inputs: [NodeID], _ c: Lowering) throws -> NodeID {
    let g = c.graph
    let embedded = try g.gather(g.parameter(table.parameter), inputs[0], paddingIndex: 0)
    let weights = try g.reshape(c.wordWeights, [c.itemRows, 1, c.catalog.maxWords])
    return try g.reshape(try g.matmul(weights, embedded), [c.itemRows, dim])
  }

  public static func node(_ words: LayerNode, dim: Int) throws -> LayerNode {
    guard let source = words.layer as? WordIDs else {
      throw LayerError(.argument, argument: 0, "tfidf expects words(data)", help: "call tfidf(words(data), \(dim))")
    }
    try requireSize(dim, "tfidf", "the size", argument: 1)
    try requireTable(source.catalog.vocabularySize, dim, "tfidf")
    return LayerNode(TFIDF(vocabulary: source.catalog.vocabularySize, dim: dim), inputs: [words], level: .item, features: dim)
  }
}
