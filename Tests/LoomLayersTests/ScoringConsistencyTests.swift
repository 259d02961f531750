import LoomGraph
import LoomTensor
import Testing

@testable import LoomLayers

/// The evaluation path (items encoded once, then users over the item tables) must score exactly
/// what the training graph scores, for every kind of model value.
struct ScoringConsistencyTests {
  func minLike(_ c: ItemCatalog) throws -> Recommender {
    let id = try Embedding.node(ItemIDs.node(c), dim: 4)
    let vis = try Dense.node(ItemFeatures.node(c, "visual"), dim: 4)
    let txt = try GRU.node(Embedding.node(WordIDs.node(c), dim: 4), hidden: 4)
    let v2t = try EncoderDecoder.node(vis, txt)
    let t2v = try EncoderDecoder.node(txt, vis)
    let sid = try SelfAttention.node(SequenceLift.node(id), maxlen: 4, ffn: 8, dropout: 0)
    let sv = try SelfAttention.node(SequenceLift.node(v2t), maxlen: 4, ffn: 8, dropout: 0)
    let st = try SelfAttention.node(SequenceLift.node(t2v), maxlen: 4, ffn: 8, dropout: 0)
    let cvt = try CrossAttention.node(sv, st, dropout: 0)
    let ctv = try CrossAttention.node(st, sv, dropout: 0)
    _ = try InfoNCE.node(sid, cvt)
    return try Recommender(user: ConcatLayer.node([sid, cvt, ctv]), item: ConcatLayer.node([id, v2t, t2v]))
  }

  /// Scored twice with a parameter change in between: compiled evaluation graphs must see the
  /// new item tables, not the ones of their first run.
  @Test(arguments: [false, true])
  func evaluationScoresEqualTrainingGraphScores(scoredBefore: Bool) throws {
    let c = GradientFixture.catalog
    let model = try minLike(c)
    model.initialize(seed: 5)
    if scoredBefore {
      _ = try model.scores(inputs: GradientFixture.sequence, batch: 2, maxlen: 4)
      model.initialize(seed: 6)
    }
    let sequence = GradientFixture.sequence
    // Training pass over all items: user states at every position and every item's vector.
    let lowering = Lowering(pass: .training, catalog: c, batch: 2, maxlen: 4, itemRows: c.itemCount + 1, layerNames: model.names)
    let user = try lowering.lower(model.user)
    let items = try lowering.lower(model.item)
    let scores = try lowering.graph.matmul(try lowering.graph.reshape(user, [8, model.user.features]), items, transposeB: true)
    let graph = try CompiledGraph(lowering.graph, outputs: [scores])
    try ItemSet(ids: (0...6).map(Int32.init), weights: [Float](repeating: 1, count: 7)).feed(graph, c)
    try graph.feed("sequence", indices: sequence)
    try graph.feed("sequence mask", sequence.map { $0 != 0 ? 1 : 0 })
    try graph.forward(RunState(training: false, seed: 0))
    let trained = graph.value(scores).scalars
    let evaluated = try model.scores(inputs: sequence, batch: 2, maxlen: 4)
    for b in 0..<2 {
      for item in 1...6 {
        let t = trained[(b * 4 + 3) * 7 + item]
        let e = evaluated[b * 7 + item]
        #expect(abs(t - e) < 1e-4 * max(1, abs(t)), "user \(b) item \(item): training \(t), evaluation \(e)")
      }
    }
  }
}

/// Evaluation computes the user state at the last position only, where the layers allow:
/// a self-attention's last block and a cross-attention's queries run for one position, and
/// the scores are those of running every position.
struct LastPositionTests {
  /// A two-layer, two-head self-attention feeding a cross-attention's query and an `add`; a GRU
  /// (whole sequences only) as the context and in a `concat`, so one value is needed both
  /// whole and at its last position.
  func mixed(_ c: ItemCatalog) throws -> (Recommender, attention: LayerNode, gru: LayerNode, cross: LayerNode) {
    let id = try Embedding.node(ItemIDs.node(c), dim: 4)
    let attention = try SelfAttention.node(SequenceLift.node(id), layers: 2, heads: 2, maxlen: 4, ffn: 8, dropout: 0)
    let gru = try GRU.node(SequenceLift.node(id), hidden: 4)
    let cross = try CrossAttention.node(attention, gru, heads: 2, dropout: 0)
    let mixed = try Dense.node(ConcatLayer.node([cross, gru]), dim: 4, activation: .tanh)
    let user = try LayerNormLayer.node(CombineLayer.node(.add, mixed, attention))
    return (try Recommender(user: user, item: id), attention, gru, cross)
  }

  @Test func onlyWhatTheLastStateNeedsIsCut() throws {
    let (model, attention, gru, cross) = try mixed(GradientFixture.catalog)
    let last = Lowering.lastPositionValues(model.user)
    #expect(last.contains(ObjectIdentifier(model.user)))
    #expect(last.contains(ObjectIdentifier(attention)), "read only by the cross-attention's query and the add")
    #expect(last.contains(ObjectIdentifier(cross)))
    #expect(!last.contains(ObjectIdentifier(gru)), "the cross-attention's context is needed whole")
    #expect(!last.contains(ObjectIdentifier(attention.inputs[0])), "a self-attention reads every position")
    let min = try ScoringConsistencyTests().minLike(GradientFixture.catalog)
    let minLast = Lowering.lastPositionValues(min.user)
    let selfAttentions = min.user.ancestry.filter { $0.layer is SelfAttention }
    #expect(
      selfAttentions.map { minLast.contains(ObjectIdentifier($0)) } == [true, false, false],
      "MIN: the ID sequence's self-attention is cut; the visual and text ones are cross-attention context")
  }

  /// MFN4Rec's shape: a GRU per modality, the memory over them, a dense layer on top.
  func mfnLike(_ c: ItemCatalog) throws -> Recommender {
    let id = try Embedding.node(ItemIDs.node(c), dim: 4)
    let hm = try GRU.node(SequenceLift.node(id), hidden: 4)
    let hf = try GRU.node(SequenceLift.node(ItemFeatures.node(c, "visual")), hidden: 4)
    let memory = try Memory.node([hm, hf], size: 4, hidden: 6, dropout: 0)
    return try Recommender(user: Dense.node(ConcatLayer.node([hm, hf, memory]), dim: 4), item: id)
  }

  /// Length-bucketed evaluation cuts a batch's columns that are padding in every row: the
  /// scores stay those of the full width for every kind of sequence layer.
  @Test func rowsCutToTheirLongestScoreTheSame() throws {
    let c = GradientFixture.catalog
    for (label, model) in [
      ("MIN-like", try ScoringConsistencyTests().minLike(c)), ("mixed", try mixed(c).0), ("MFN-like", try mfnLike(c)),
    ] {
      model.initialize(seed: 8)
      let full = try model.scores(inputs: [0, 0, 1, 2, 0, 0, 0, 3], batch: 2, maxlen: 4)
      let cut = try model.scores(inputs: [1, 2, 0, 3], batch: 2, maxlen: 2)
      var largest: Float = 0
      for k in [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13] {
        largest = max(largest, abs(full[k]))
        #expect(
          abs(full[k] - cut[k]) <= 1e-5 * max(1, abs(full[k])), "\(label) score \(k): width 4 \(full[k]), width 2 \(cut[k])")
      }
      #expect(largest > 1e-3, "\(label): scores are not all zero")
    }
  }

  @Test func cutScoresEqualScoresOfEveryPosition() throws {
    let c = GradientFixture.catalog
    for (label, model) in [("MIN-like", try ScoringConsistencyTests().minLike(c)), ("mixed", try mixed(c).0)] {
      model.initialize(seed: 7)
      let cut = try model.scores(inputs: GradientFixture.sequence, batch: 2, maxlen: 4, cutToLastPosition: true)
      let whole = try model.scores(inputs: GradientFixture.sequence, batch: 2, maxlen: 4, cutToLastPosition: false)
      #expect(cut.count == whole.count)
      var largest: Float = 0
      for b in 0..<2 {
        for item in 1...6 {
          let (x, y) = (cut[b * 7 + item], whole[b * 7 + item])
          largest = max(largest, abs(y))
          #expect(abs(x - y) <= 1e-5 * max(1, abs(y)), "\(label) user \(b) item \(item): cut \(x), every position \(y)")
        }
      }
      #expect(largest > 1e-3, "\(label): scores are not all zero")
    }
  }
}

/// The memory plans of real model graphs (training with a loss, item pass, user pass) never let
/// two buffers that are alive at the same step share floats, and nothing runs past the arena.
struct MemoryPlanOfModelsTests {
  @Test func noTwoLiveBuffersOverlap() throws {
    let c = GradientFixture.catalog
    let model = try ScoringConsistencyTests().minLike(c)
    model.initialize(seed: 1)
    let batch = SequenceBatch(
      size: 2, maxlen: 4, inputs: GradientFixture.sequence, targets: [0, 2, 3, 4, 0, 6, 1, 2],
      negatives: [0, 5, 6, 1, 0, 2, 3, 4], negativesPerTarget: 1)
    _ = try model.trainStep(batch, objective: .bce(negatives: 1), run: RunState(training: true, seed: 1), optimizer: Adam())
    _ = try model.scores(inputs: GradientFixture.sequence, batch: 2, maxlen: 4)
    let graphs =
      model.trainingPrograms.values.map(\.graph) + model.evaluation.itemPrograms.values.map(\.graph)
      + model.evaluation.userPrograms.values.map(\.graph)
    #expect(graphs.count == 3)
    for g in graphs {
      #expect(g.plan.conflicts.isEmpty, "\(g.plan.conflicts.prefix(3))")
      #expect(g.plan.arenaFloats < g.plan.unplannedFloats)
    }
  }
}
