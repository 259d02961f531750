import LoomGraph
import LoomTensor

/// Compiled evaluation graphs and the item tables of the current parameters.
struct EvaluationCache {
  /// Item-level values for all items (the item representation and every input of `seq`),
  /// valid while `version` matches the model's.
  var tables: [ObjectIdentifier: Tensor] = [:]
  var version = -1
  var itemPrograms: [Int: (graph: CompiledGraph, outputs: [(ObjectIdentifier, NodeID)])] = [:]
  var userPrograms: [Int: (graph: CompiledGraph, scores: NodeID)] = [:]
  /// The memory of the user-pass programs, which never run at once: one per batch size and
  /// width (length-bucketed evaluation scores four widths, `LengthBuckets`).
  let userArena = SharedArena()
  static let userProgramLimit = 12
}

extension Recommender {
  /// Item chunk for the item pass: item-level layers treat items independently, so all items
  /// are encoded in chunks of this many rows with one graph (bounded memory on large catalogues).
  static let itemChunk = 2048

  /// The item-level values evaluation needs: the item representation and what `seq` lifts.
  var evaluationItemNodes: [LayerNode] {
    var nodes = [item]
    for n in user.ancestry where n.layer is SequenceLift && !nodes.contains(where: { $0 === n.inputs[0] }) {
      nodes.append(n.inputs[0])
    }
    return nodes
  }

  /// Encodes every item once with the current parameters (the item pass), in chunks. The
  /// tables are written in place: compiled user graphs hold them as constants, so they must
  /// keep their storage across parameter changes.
  public func encodeItems() throws {
    if evaluation.version == version { return }
    let nodes = evaluationItemNodes
    let total = catalog.itemCount + 1
    let tables = nodes.map { n in evaluation.tables[ObjectIdentifier(n)] ?? Tensor(zeros: [total, n.features]) }
    var start = 0
    let run = RunState(training: false, seed: 0)
    run.profiler = profiler
    while start < total {
      let rows = min(Self.itemChunk, total - start)
      let program = try itemProgram(rows: rows, nodes: nodes)
      try ItemSet(ids: (start..<(start + rows)).map(Int32.init), weights: []).feed(program.graph, catalog)
      try program.graph.forward(run)
      for (k, (_, node)) in program.outputs.enumerated() {
        let d = nodes[k].features
        (tables[k].pointer + start * d).update(from: program.graph.pointer(node), count: rows * d)
      }
      start += rows
    }
    evaluation.tables = Dictionary(uniqueKeysWithValues: zip(nodes.map { ObjectIdentifier($0) }, tables))
    evaluation.version = version
  }

  func itemProgram(rows: Int, nodes: [LayerNode]) throws -> (graph: CompiledGraph, outputs: [(ObjectIdentifier, NodeID)]) {
    if let p = evaluation.itemPrograms[rows] { return p }
    let c = Lowering(pass: .items, catalog: catalog, batch: 1, maxlen: 1, itemRows: rows, layerNames: names)
    let outputs = try nodes.map { (ObjectIdentifier($0), try c.lower($0)) }
    let p = (try CompiledGraph(c.graph, outputs: outputs.map(\.1)), outputs)
    evaluation.itemPrograms[rows] = p
    return p
  }

  /// The lowering of the user side over precomputed item tables, for `batch` sequences; with
  /// `lastPosition`, the user value is `[batch, 1, d]` and computed at the last position only
  /// where the layers allow (`Lowering.lastPositionValues`).
  func userLowering(batch: Int, maxlen: Int, lastPosition: Bool = false) throws -> (Lowering, NodeID) {
    try encodeItems()
    let c = Lowering(
      pass: .users, catalog: catalog, batch: batch, maxlen: maxlen, itemRows: catalog.itemCount + 1,
      precomputed: evaluation.tables, layerNames: names)
    if lastPosition { c.lastOnly = Lowering.lastPositionValues(user) }
    return (c, try c.lower(user))
  }

  /// The graph `scores` runs, uncompiled: inputs "sequence" (`[batch, maxlen]` ids),
  /// "sequence mask" and "last sequence" as `feedSequence` fills them, the item tables of the
  /// current parameters as constants, and the scores `[batch, itemCount + 1]` as the returned
  /// node. The ONNX export translates this same graph.
  public func userScoringGraph(batch: Int, maxlen: Int, cutToLastPosition: Bool = true) throws -> (Graph, NodeID) {
    let (c, user) = try userLowering(batch: batch, maxlen: maxlen, lastPosition: cutToLastPosition)
    let g = c.graph
    let state = cutToLastPosition ? user : try c.lastPosition(user)
    let last = try g.reshape(state, [batch, self.user.features])
    return (g, try g.matmul(last, try c.lower(item), transposeB: true))
  }

  /// Scores of every item for each sequence: `inputs [batch, maxlen]` global ids, left-padded;
  /// returns `[batch, itemCount + 1]` (column 0, the padding item, is meaningless). One matrix
  /// product per batch: the last position's user state times all item vectors, the layers
  /// computing what that state needs and no more (`Lowering.lastPositionValues`).
  public func scores(inputs: [Int32], batch: Int, maxlen: Int) throws -> [Float] {
    try scores(inputs: inputs, batch: batch, maxlen: maxlen, cutToLastPosition: true)
  }

  /// `cutToLastPosition: false` runs every layer at every position and slices the last: for
  /// tests that check the cut changes nothing.
  public func scores(inputs: [Int32], batch: Int, maxlen: Int, cutToLastPosition: Bool) throws -> [Float] {
    guard inputs.count == batch * maxlen else { throw LayerError(.shape, "scores: \(inputs.count) ids for \(batch) x \(maxlen)") }
    if let bad = inputs.first(where: { $0 < 0 || Int($0) > catalog.itemCount }) {
      throw LayerError(.data, "item id \(bad) is outside 0...\(catalog.itemCount)")
    }
    try encodeItems()
    let key = (batch * 100_000 + maxlen) * 2 + (cutToLastPosition ? 1 : 0)
    let program: (graph: CompiledGraph, scores: NodeID)
    if let p = evaluation.userPrograms[key] {
      program = p
    } else {
      let (g, scores) = try userScoringGraph(batch: batch, maxlen: maxlen, cutToLastPosition: cutToLastPosition)
      let generation = evaluation.userArena.generation
      program = (try CompiledGraph(g, outputs: [scores], arena: evaluation.userArena), scores)
      // A regrown arena leaves the other programs on the old storage: drop them, as too many.
      if evaluation.userPrograms.count >= EvaluationCache.userProgramLimit || evaluation.userArena.generation != generation {
        evaluation.userPrograms.removeAll()
      }
      evaluation.userPrograms[key] = program
    }
    try program.graph.feedSequence(inputs)
    let run = RunState(training: false, seed: 0)
    run.profiler = profiler
    try program.graph.forward(run)
    return Array(UnsafeBufferPointer(start: program.graph.pointer(program.scores), count: batch * (catalog.itemCount + 1)))
  }

  /// The attention weights of every self- and cross-attention layer for one left-padded
  /// sequence: per layer and head an `[maxlen, maxlen]` matrix (MIN Fig. 7).
  public func attentionMaps(sequence: [Int32]) throws -> [(layer: String, head: Int, weights: [[Float]])] {
    let maxlen = sequence.count
    let (c, _) = try userLowering(batch: 1, maxlen: maxlen)
    let maps = c.attentionMaps
    let graph = try CompiledGraph(c.graph, outputs: maps.map(\.weights))
    try graph.feedSequence(sequence)
    try graph.forward(RunState(training: false, seed: 0))
    var result: [(layer: String, head: Int, weights: [[Float]])] = []
    for map in maps {
      let p = graph.pointer(map.weights)
      for h in 0..<map.heads {
        let base = p + h * maxlen * maxlen
        result.append(
          (map.layer, h, (0..<maxlen).map { r in Array(UnsafeBufferPointer(start: base + r * maxlen, count: maxlen)) }))
      }
    }
    return result
  }
}
