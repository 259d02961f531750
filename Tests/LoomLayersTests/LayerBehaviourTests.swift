import Foundation
import LoomGraph
import LoomTensor
import Testing

@testable import LoomLayers

struct LayerBehaviourTests {
  let catalog = GradientFixture.catalog

  @Test func gruOverWordsReturnsEachItemsFinalState() throws {
    // Item 2's words are [4, 5, 6] (3 words), item 1's are [2, 3] (2 words): the layer's output
    // must equal a step-by-step GRU run over exactly those words.
    let words = try Embedding.node(WordIDs.node(catalog), dim: 3)
    let gru = try GRU.node(words, hidden: 2)
    let out = try forwardSequence(gru, catalog, sequence: [0, 1, 2, 3, 4, 5, 6, 1], batch: 2, maxlen: 4)
    let layer = gru.layer as! GRU
    let table = (words.layer as! Embedding).table.parameter.tensor.scalars
    let (wi, bi, wh, bh) = (
      layer.wi.parameter.tensor.scalars, layer.bi.parameter.tensor.scalars,
      layer.wh.parameter.tensor.scalars, layer.bh.parameter.tensor.scalars
    )
    func sig(_ v: Double) -> Double { 1 / (1 + exp(-v)) }
    for item in [1, 2] {
      var h = [0.0, 0.0]
      for w in catalog.words[(item * 3)..<(item * 3 + 3)] where w != 0 {
        let x = (0..<3).map { Double(table[Int(w) * 3 + $0]) }
        var gi = [Double](repeating: 0, count: 6)
        var gh = gi
        for j in 0..<6 {
          gi[j] = Double(bi[j]) + (0..<3).reduce(0) { $0 + x[$1] * Double(wi[$1 * 6 + j]) }
          gh[j] = Double(bh[j]) + (0..<2).reduce(0) { $0 + h[$1] * Double(wh[$1 * 6 + j]) }
        }
        h = (0..<2).map { j in
          let r = sig(gi[j] + gh[j])
          let z = sig(gi[2 + j] + gh[2 + j])
          let n = tanh(gi[4 + j] + r * gh[4 + j])
          return (1 - z) * n + z * h[j]
        }
      }
      for j in 0..<2 { #expect(abs(Double(out[item * 2 + j]) - h[j]) < 1e-5) }
    }
  }

  @Test func crossAttentionMatchesNaiveAttention() throws {
    let q = try SequenceLift.node(Embedding.node(ItemIDs.node(catalog), dim: 4))
    let ctx = try SequenceLift.node(ItemFeatures.node(catalog, "visual"))
    let att = try CrossAttention.node(q, ctx, heads: 1, dropout: 0)
    let seq: [Int32] = [0, 1, 2, 3, 4, 5, 6, 1]
    let out = try forwardSequence(att, catalog, sequence: seq, batch: 2, maxlen: 4)
    let layer = att.layer as! CrossAttention
    let emb = ((q.inputs[0].layer) as! Embedding).table.parameter.tensor.scalars
    let vis = catalog.features["visual"]!.scalars
    let (wq, wk, wv) = (layer.wq.parameter.tensor.scalars, layer.wk.parameter.tensor.scalars, layer.wv.parameter.tensor.scalars)
    func project(_ row: ArraySlice<Float>, _ w: [Float]) -> [Double] {
      (0..<4).map { j in row.enumerated().reduce(0.0) { $0 + Double($1.element) * Double(w[$1.offset * 4 + j]) } }
    }
    for b in 0..<2 {
      for t in 0..<4 {
        let id = Int(seq[b * 4 + t])
        guard id != 0 else {
          #expect(out[(b * 4 + t) * 4..<((b * 4 + t) * 4 + 4)].allSatisfy { $0 == 0 })
          continue
        }
        let qv = project(emb[(id * 4)..<(id * 4 + 4)], wq)
        var scores: [Double] = []
        var values: [[Double]] = []
        for s in 0...t where seq[b * 4 + s] != 0 {
          let cid = Int(seq[b * 4 + s])
          let k = project(vis[(cid * 4)..<(cid * 4 + 4)], wk)
          scores.append(zip(qv, k).reduce(0) { $0 + $1.0 * $1.1 } / 2)  // √4
          values.append(project(vis[(cid * 4)..<(cid * 4 + 4)], wv))
        }
        let m = scores.max()!
        let e = scores.map { exp($0 - m) }
        let z = e.reduce(0, +)
        for j in 0..<4 {
          let expected = zip(e, values).reduce(0) { $0 + $1.0 / z * $1.1[j] }
          #expect(abs(Double(out[(b * 4 + t) * 4 + j]) - expected) < 1e-5)
        }
      }
    }
  }

  /// Changing a future item never changes an earlier position's output.
  @Test(arguments: ["selfatt", "crossatt", "gru", "memory"])
  func layersAreCausal(_ kind: String) throws {
    let id = try SequenceLift.node(Embedding.node(ItemIDs.node(catalog), dim: 4))
    let vis = try SequenceLift.node(ItemFeatures.node(catalog, "visual"))
    let node: LayerNode
    switch kind {
    case "selfatt": node = try SelfAttention.node(id, layers: 2, heads: 2, maxlen: 4, ffn: 8, dropout: 0)
    case "crossatt": node = try CrossAttention.node(id, vis, dropout: 0)
    case "gru": node = try GRU.node(id, hidden: 3)
    default: node = try Memory.node([try GRU.node(id, hidden: 3), vis], size: 3, hidden: 4, dropout: 0)
    }
    let a = try forwardSequence(node, catalog, sequence: [1, 2, 3, 4], batch: 1, maxlen: 4)
    let b = try forwardSequence(node, catalog, sequence: [1, 2, 3, 6], batch: 1, maxlen: 4)
    let d = node.features
    #expect(Array(a[0..<(3 * d)]) == Array(b[0..<(3 * d)]))
    #expect(Array(a[(3 * d)...]) != Array(b[(3 * d)...]))
  }

  /// Left-padding a sequence with more padding does not change its last state.
  @Test(arguments: ["selfatt", "gru", "memory"])
  func lastStateIgnoresExtraPadding(_ kind: String) throws {
    let id = try SequenceLift.node(Embedding.node(ItemIDs.node(catalog), dim: 4))
    let node: LayerNode
    switch kind {
    case "selfatt": node = try SelfAttention.node(id, layers: 2, heads: 2, maxlen: 8, ffn: 8, dropout: 0)
    case "gru": node = try GRU.node(id, hidden: 3)
    default: node = try Memory.node([try GRU.node(id, hidden: 3)], size: 3, hidden: 4, dropout: 0)
    }
    let d = node.features
    let short = try forwardSequence(node, catalog, sequence: [0, 3, 1, 5], batch: 1, maxlen: 4)
    let long = try forwardSequence(node, catalog, sequence: [0, 0, 0, 0, 0, 3, 1, 5], batch: 1, maxlen: 8)
    for j in 0..<d { #expect(abs(short[3 * d + j] - long[7 * d + j]) < 1e-5) }
  }

  @Test func levelErrorsExplainTheFix() throws {
    let vis = try ItemFeatures.node(catalog, "visual")
    do {
      _ = try SelfAttention.node(vis)
      Issue.record("selfatt accepted an item-level value")
    } catch let e as LayerError {
      #expect(e.kind == .level(expected: "a sequence-level", got: .item))
      #expect(e.message == "selfatt expects a sequence-level value, got item-level")
      #expect(e.help == "lift it with seq(x)")
      #expect(e.argument == 0)
    }
    #expect(throws: LayerError.self) { try Embedding.node(vis, dim: 4) }
    #expect(throws: LayerError.self) { try ItemFeatures.node(catalog, "audio") }
    #expect(throws: LayerError.self) { try CombineLayer.node(.add, vis, try Embedding.node(ItemIDs.node(catalog), dim: 3)) }
    let seqv = try SequenceLift.node(vis)
    #expect(throws: LayerError.self) { try Recommender(user: seqv, item: try Embedding.node(ItemIDs.node(catalog), dim: 3)) }
  }

  @Test func auxiliaryLossesReachTheModel() throws {
    let id = try Embedding.node(ItemIDs.node(catalog), dim: 4)
    let vis = try Dense.node(ItemFeatures.node(catalog, "visual"), dim: 4)
    let v2i = try EncoderDecoder.node(vis, id, weight: 0.5)
    let s = try SelfAttention.node(SequenceLift.node(id), maxlen: 4, dropout: 0)
    let c = try CrossAttention.node(s, try SelfAttention.node(SequenceLift.node(v2i), maxlen: 4, dropout: 0))
    _ = try InfoNCE.node(s, c, weight: 0.25)
    let model = try Recommender(user: try ConcatLayer.node([s, c]), item: try ConcatLayer.node([id, v2i]))
    #expect(model.auxiliaryLosses.map(\.weight) == [0.5, 0.25])
    #expect(model.summary.contains("auxiliary loss: 0.25 · infonce#1"))
    #expect(model.summary.contains("selfatt#2"))
  }
}
