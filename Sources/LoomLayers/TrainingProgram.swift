import LoomGraph
import LoomTensor

/// A recommender's compiled training graph for one batch size and item-set size: the total loss
/// (main term + Σ weight · auxiliary term) and each term's value for the history.
final class TrainingProgram {
  struct Key: Hashable {
    var batch, maxlen, itemRows: Int
    var objective: String
    var targetRows: Int?
    var lastPositionOnly = false
  }

  /// Whether a full-softmax batch has targets only in its last column (prefix-mode rows: one
  /// target each, at the end). Then the user value is needed at the last position only, and
  /// the program lowers it so (`Lowering.lastPositionValues`): a selfatt's last block runs its
  /// queries and feed-forward for one position instead of maxlen.
  static func lastPositionOnly(_ b: SequenceBatch, objective: Objective) -> Bool {
    guard objective == .ce, b.maxlen > 1 else { return false }
    for row in 0..<b.size {
      let start = row * b.maxlen
      for cell in start..<(start + b.maxlen - 1) where b.targets[cell] != 0 && b.inputs[cell] != 0 { return false }
    }
    return true
  }

  /// Rows of the full-softmax logits: nil scores every position of the batch; a number scores
  /// only that many gathered target positions (padded with ignored rows). Prefix-mode rows
  /// have one target each, so scoring all maxlen positions against every item would spend
  /// maxlen times the needed work on the largest product of the step.
  static func targetRows(_ b: SequenceBatch, objective: Objective) -> Int? {
    guard objective == .ce else { return nil }
    let rows = b.size * b.maxlen
    var targets = 0
    for (i, t) in zip(b.inputs, b.targets) where i != 0 && t != 0 { targets += 1 }
    // Buckets b, 2b, 4b, ... keep the number of distinct compiled programs small.
    var bucket = b.size
    while bucket < targets { bucket *= 2 }
    return bucket * 2 > rows ? nil : bucket
  }
  let graph: CompiledGraph
  let terms: [(name: String, node: NodeID)]
  /// Each term's weight in the total (`Recommender.lossWeights`): the loss scales fed by default.
  let weights: [Float]
  let objective: Objective
  let itemRows: Int
  let targetRows: Int?
  let lastPositionOnly: Bool
  let forwardFLOPs: Double
  /// When a training step last used it (`Recommender.trainingUses`), for eviction.
  var lastUse = 0
  /// The generation of the model's shared training arena this program's buffers live in.
  let arenaGeneration: Int

  /// `arena`: the model's shared training arena (`Recommender.trainStep`), or nil for a
  /// program with memory of its own.
  init(
    _ model: Recommender, batch: Int, maxlen: Int, itemRows: Int, objective: Objective,
    targetRows: Int? = nil, lastPositionOnly: Bool = false, arena: SharedArena? = nil
  ) throws {
    let c = Lowering(
      pass: .training, catalog: model.catalog, batch: batch, maxlen: maxlen, itemRows: itemRows,
      layerNames: model.names)
    let cutToLast = lastPositionOnly && objective == .ce
    if cutToLast { c.lastOnly = Lowering.lastPositionValues(model.user, whole: model.auxiliaryLosses.map(\.node)) }
    let g = c.graph
    let user = try c.lower(model.user)
    let items = try c.lower(model.item)
    let d = model.user.features
    let rows = batch * maxlen
    g.scope = "recommender"
    let main: NodeID
    switch objective {
    case .ce where cutToLast:
      // One target per row, at its last position: the user value is [batch, 1, d], unless an
      // auxiliary loss reads it whole.
      let last = c.lastOnly.contains(ObjectIdentifier(model.user)) ? user : try c.lastPosition(user)
      let logits = try g.matmul(try g.reshape(last, [batch, d]), items, transposeB: true)
      main = try g.apply(SoftmaxCrossEntropy(), logits, g.input("targets", [batch], type: .int32))
    case .ce:
      var scored = try g.reshape(user, [rows, d])
      if let targetRows {
        scored = try g.gather(scored, g.input("target positions", [targetRows], type: .int32))
      }
      let logits = try g.matmul(scored, items, transposeB: true)
      main = try g.apply(SoftmaxCrossEntropy(), logits, g.input("targets", [targetRows ?? rows], type: .int32))
    case .bce(let n), .bpr(let n):
      let column = try g.reshape(user, [rows, d, 1])
      let negatives = try g.reshape(try g.gather(items, g.input("negatives", [batch, maxlen, n], type: .int32)), [rows, n, d])
      let negativeMask = g.input("negative mask", [rows * n])
      if case .bce = objective {
        let positives = try g.reshape(try g.gather(items, g.input("targets", [batch, maxlen], type: .int32)), [rows, 1, d])
        let positiveScores = try g.reshape(try g.matmul(positives, column), [rows])
        let negativeScores = try g.reshape(try g.matmul(negatives, column), [rows * n])
        main = try g.add(
          try g.apply(
            BinaryCrossEntropy(), positiveScores, g.constant(Tensor(shape: [rows], repeating: 1)), g.input("target mask", [rows])),
          try g.apply(BinaryCrossEntropy(), negativeScores, g.constant(Tensor(zeros: [rows * n])), negativeMask))
      } else {
        let repeated = try g.reshape(
          try g.gather(items, g.input("targets repeated", [batch, maxlen, n], type: .int32)), [rows, n, d])
        let margins = try g.reshape(try g.matmul(try g.sub(repeated, negatives), column), [rows * n])
        main = try g.apply(BinaryCrossEntropy(), margins, g.constant(Tensor(shape: [rows * n], repeating: 1)), negativeMask)
      }
    }
    // total = Σ_t scale_t · term_t, the scales fed each step: the terms' weights (1 for the
    // main term) alone, or times this shard's share of each term's mean in data-parallel
    // training (`Recommender.computeGradients`).
    var terms = [(name: "rec", node: main)]
    var weighted = [try g.mul(main, g.input(Self.scaleInput(0), [1]))]
    for (k, (node, _)) in model.auxiliaryLosses.enumerated() {
      let term = try c.lower(node)
      terms.append((model.name(of: node.layer), term))
      weighted.append(try g.mul(term, g.input(Self.scaleInput(k + 1), [1])))
    }
    let total = try g.total(weighted)
    graph = try CompiledGraph(g, outputs: terms.map(\.node), loss: total, arena: arena)
    arenaGeneration = arena?.generation ?? 0
    self.terms = terms
    weights = model.lossWeights
    self.objective = objective
    self.itemRows = itemRows
    self.targetRows = targetRows
    self.lastPositionOnly = cutToLast
    forwardFLOPs = graph.forwardMatmulFLOPs
  }

  static func scaleInput(_ term: Int) -> String { "loss scale \(term)" }

  /// Fills every input from a batch in global ids: builds the item set (the batch's distinct
  /// items, or all items for the full softmax) and translates ids into item-set rows; each
  /// loss term's scale is its weight, or the given scale (a data-parallel shard's).
  func feed(_ b: SequenceBatch, _ catalog: ItemCatalog, lossScales: [Float]? = nil) throws {
    let scales = lossScales ?? weights
    guard scales.count == terms.count else {
      throw LayerError(.shape, "\(scales.count) loss scales for \(terms.count) loss terms")
    }
    for (k, scale) in scales.enumerated() { try graph.feed(Self.scaleInput(k), [scale]) }
    let n = objective.negatives
    var local = [Int32](repeating: -1, count: catalog.itemCount + 1)
    var ids: [Int32] = [0]
    local[0] = 0
    if objective == .ce {
      ids = (0...catalog.itemCount).map(Int32.init)
      for i in ids { local[Int(i)] = i }
    } else {
      var present = [Bool](repeating: false, count: catalog.itemCount + 1)
      for list in [b.inputs, b.targets, b.negatives] { for i in list { present[Int(i)] = true } }
      for i in 1..<present.count where present[i] {
        local[i] = Int32(ids.count)
        ids.append(Int32(i))
      }
    }
    var weights = [Float](repeating: 0, count: itemRows)
    for i in b.inputs where i != 0 { weights[Int(local[Int(i)])] += 1 }
    ids += [Int32](repeating: 0, count: itemRows - ids.count)
    try ItemSet(ids: ids, weights: weights).feed(graph, catalog)

    let g = graph
    try g.feedSequence(b.inputs, rows: b.inputs.map { local[Int($0)] })
    let targetMask = zip(b.inputs, b.targets).map { $0 != 0 && $1 != 0 ? Float(1) : 0 }
    switch objective {
    case .ce:
      let targets = zip(b.targets, targetMask).map { $1 > 0 ? $0 : 0 }
      if lastPositionOnly {
        try g.feed("targets", indices: (0..<b.size).map { targets[$0 * b.maxlen + b.maxlen - 1] })
      } else if let targetRows {
        // The target cells in row-major order, then position 0 with target 0 (ignored).
        var positions = [Int32]()
        var gathered = [Int32]()
        positions.reserveCapacity(targetRows)
        gathered.reserveCapacity(targetRows)
        for (cell, t) in targets.enumerated() where t != 0 {
          positions.append(Int32(cell))
          gathered.append(t)
        }
        guard positions.count <= targetRows else {
          throw LayerError(.shape, "batch has \(positions.count) targets but the program scores \(targetRows)")
        }
        positions += [Int32](repeating: 0, count: targetRows - positions.count)
        gathered += [Int32](repeating: 0, count: targetRows - gathered.count)
        try g.feed("target positions", indices: positions)
        try g.feed("targets", indices: gathered)
      } else {
        try g.feed("targets", indices: targets)
      }
    case .bce, .bpr:
      if g.hasInput("targets") { try g.feed("targets", indices: b.targets.map { local[Int($0)] }) }
      if g.hasInput("target mask") { try g.feed("target mask", targetMask) }
      try g.feed("negatives", indices: b.negatives.map { local[Int($0)] })
      try g.feed("negative mask", targetMask.flatMap { [Float](repeating: $0, count: n) })
      if g.hasInput("targets repeated") {
        try g.feed("targets repeated", indices: b.targets.flatMap { [Int32](repeating: local[Int($0)], count: n) })
      }
    }
  }
}

extension Recommender {
  /// The weight of each loss term in the total: 1 for the main term, then each auxiliary
  /// loss's weight, in the order `trainStep` reports the terms.
  public var lossWeights: [Float] { [1] + auxiliaryLosses.map(\.weight) }

  /// The names of the terms `trainStep` reports after "loss": "rec", then each auxiliary loss.
  public var lossTermNames: [String] { ["rec"] + auxiliaryLosses.map { name(of: $0.node.layer) } }

  /// One optimiser step on a batch: forward, backward, update. Returns each loss term
  /// (unweighted) and the weighted total as "loss".
  public func trainStep(
    _ batch: SequenceBatch, objective: Objective, run: RunState, optimizer: Adam,
    interruption: Interruption? = nil
  ) throws -> [(name: String, value: Float)] {
    let (terms, parameters) = try computeGradients(batch, objective: objective, run: run, interruption: interruption)
    optimizer.update(parameters)
    parametersChanged()
    return terms
  }

  /// Forward and backward on a batch, leaving each parameter's gradient in its `grad`: returns
  /// the loss terms as `trainStep` does and the parameters the step trains (the optimiser's
  /// to update). `lossScales` multiply the terms in the total (default `lossWeights`; a
  /// data-parallel shard passes each weight times its share of the term's mean).
  public func computeGradients(
    _ batch: SequenceBatch, objective: Objective, run: RunState, lossScales: [Float]? = nil,
    interruption: Interruption? = nil
  ) throws -> (terms: [(name: String, value: Float)], parameters: [Parameter]) {
    try validate(batch, objective: objective)
    let key = programKey(batch, objective: objective)
    let program: TrainingProgram
    trainingUses += 1
    if let cached = trainingPrograms[key] {
      program = cached
      cached.lastUse = trainingUses
    } else {
      // All programs share one arena (they never run at once), so a cached program costs only
      // its op list and the cache can hold every shape an epoch visits: length buckets times
      // item-set sizes times gathered-target counts came to 19 shapes for SASRec at 12x ml-100k.
      if trainingPrograms.count >= Self.trainingProgramLimit,
        let stale = trainingPrograms.min(by: { $0.value.lastUse < $1.value.lastUse })
      {
        trainingPrograms[stale.key] = nil
      }
      let started = monotonicSeconds()
      program = try TrainingProgram(
        self, batch: batch.size, maxlen: batch.maxlen, itemRows: key.itemRows, objective: objective,
        targetRows: key.targetRows, lastPositionOnly: key.lastPositionOnly, arena: trainingArena)
      program.lastUse = trainingUses
      trainingCompilations += 1
      trainingCompilationSeconds += monotonicSeconds() - started
      // A larger shape regrew the arena: programs bound to the old one would pin its memory.
      trainingPrograms = trainingPrograms.filter { $0.value.arenaGeneration == program.arenaGeneration }
      trainingPrograms[key] = program
    }
    try program.feed(batch, catalog, lossScales: lossScales)
    run.profiler = profiler
    try program.graph.forward(run, interruption: interruption)
    try program.graph.backward(run, interruption: interruption)
    trainingFLOPs += 3 * program.forwardFLOPs
    var values = [(name: "loss", value: program.graph.lossValue)]
    for t in program.terms { values.append((t.name, program.graph.pointer(t.node)[0])) }
    return (values, program.graph.parameters)
  }

  /// The shape of the program that trains on `batch`: its size and width, the item rows (all
  /// items for the full softmax, else the batch's distinct items rounded up by `ItemSet.bucket`)
  /// and the gathered target rows.
  func programKey(_ batch: SequenceBatch, objective: Objective) -> TrainingProgram.Key {
    var rows = catalog.itemCount + 1
    if objective != .ce {
      var present = [Bool](repeating: false, count: catalog.itemCount + 1)
      present[0] = true
      for list in [batch.inputs, batch.targets, batch.negatives] { for i in list { present[Int(i)] = true } }
      rows = ItemSet.bucket(present.lazy.filter { $0 }.count, itemCount: catalog.itemCount)
    }
    let last = TrainingProgram.lastPositionOnly(batch, objective: objective)
    return TrainingProgram.Key(
      batch: batch.size, maxlen: batch.maxlen, itemRows: rows, objective: objective.description,
      targetRows: last ? nil : TrainingProgram.targetRows(batch, objective: objective),
      lastPositionOnly: last)
  }

  func validate(_ b: SequenceBatch, objective: Objective) throws {
    let cells = b.size * b.maxlen
    guard b.size > 0, b.inputs.count == cells, b.targets.count == cells,
      b.negatives.count == cells * objective.negatives, b.negativesPerTarget == objective.negatives
    else {
      throw LayerError(.shape, "batch arrays do not match its size \(b.size) x \(b.maxlen) and \(objective)")
    }
    for list in [b.inputs, b.targets, b.negatives] {
      if let bad = list.first(where: { $0 < 0 || Int($0) > catalog.itemCount }) {
        throw LayerError(.data, "item id \(bad) is outside 0...\(catalog.itemCount)")
      }
    }
  }
}
