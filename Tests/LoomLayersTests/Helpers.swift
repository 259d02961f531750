import LoomGraph
import LoomTensor

@testable import LoomLayers

/// Runs a layer value forward in a training pass without dropout randomness mattering
/// (callers pass dropout 0) and returns it for `sequence` (`[batch, maxlen]` global ids).
func forwardSequence(_ node: LayerNode, _ catalog: ItemCatalog, sequence: [Int32], batch: Int, maxlen: Int) throws -> [Float] {
  let rows = catalog.itemCount + 1
  let c = Lowering(pass: .training, catalog: catalog, batch: batch, maxlen: maxlen, itemRows: rows)
  let out = try c.lower(node)
  let g = try CompiledGraph(c.graph, outputs: [out])
  try ItemSet(ids: (0..<rows).map(Int32.init), weights: [Float](repeating: 1, count: rows)).feed(g, catalog)
  if g.hasInput("sequence") { try g.feed("sequence", indices: sequence) }
  if g.hasInput("sequence mask") { try g.feed("sequence mask", sequence.map { $0 != 0 ? 1 : 0 }) }
  try g.forward(RunState(training: true, seed: 3))
  return g.value(out).scalars
}

/// A catalogue of `items` items without text or features.
func plainCatalog(_ items: Int) -> ItemCatalog { ItemCatalog(name: "plain", itemCount: items) }

/// Sequences that walk items 1, 2, ..., n, 1, ... from random starts: the next item is always
/// the current one plus one, and every item is equally popular.
func cyclicBatch(items: Int, size: Int, maxlen: Int, random: inout SeededRandom) -> SequenceBatch {
  var inputs: [Int32] = []
  var targets: [Int32] = []
  var negatives: [Int32] = []
  for _ in 0..<size {
    let start = random.nextInt(below: items)
    let length = 3 + random.nextInt(below: maxlen - 2)
    let walk = (0...length).map { Int32((start + $0) % items + 1) }
    let pad = maxlen - length
    inputs += [Int32](repeating: 0, count: pad) + walk.dropLast()
    targets += [Int32](repeating: 0, count: pad) + walk.dropFirst()
  }
  for t in targets {
    var n = Int32(1 + random.nextInt(below: items))
    while n == t { n = Int32(1 + random.nextInt(below: items)) }
    negatives.append(n)
  }
  return SequenceBatch(size: size, maxlen: maxlen, inputs: inputs, targets: targets, negatives: negatives, negativesPerTarget: 1)
}

/// Hit ratio at k of the next item on fresh cyclic sequences.
func cyclicHitRatio(_ model: Recommender, items: Int, maxlen: Int, k: Int, random: inout SeededRandom) throws -> Double {
  let b = cyclicBatch(items: items, size: 64, maxlen: maxlen, random: &random)
  let scores = try model.scores(inputs: b.inputs, batch: 64, maxlen: maxlen)
  var hits = 0
  for u in 0..<64 {
    let last = b.inputs[u * maxlen + maxlen - 1]
    let target = Int(last) % items + 1
    let row = scores[(u * (items + 1))..<((u + 1) * (items + 1))]
    let better = (1...items).filter { $0 != target && row[row.startIndex + $0] >= row[row.startIndex + target] }.count
    if better < k { hits += 1 }
  }
  return Double(hits) / 64
}

/// One full-softmax training step's loss and every trainable parameter's gradient for `batch`
/// (the parameters are not updated), to compare two ways of computing the same step.
func lossAndGradients(
  _ model: Recommender, _ batch: SequenceBatch, targetRows: Int? = nil,
  lastPositionOnly: Bool = false
) throws -> (loss: Float, gradients: [Float]) {
  let program = try TrainingProgram(
    model, batch: batch.size, maxlen: batch.maxlen, itemRows: model.catalog.itemCount + 1,
    objective: .ce, targetRows: targetRows, lastPositionOnly: lastPositionOnly)
  try program.feed(batch, model.catalog)
  let run = RunState(training: true, seed: 1)
  try program.graph.forward(run)
  try program.graph.backward(run)
  return (program.graph.lossValue, model.trainableParameters.flatMap { Array($0.grad.buffer.prefix($0.count)) })
}

/// The largest gradient magnitude of `a` and the largest difference between `a` and `b`.
func gradientDifference(_ a: [Float], _ b: [Float]) -> (largest: Float, worst: Float) {
  var largest: Float = 0
  var worst: Float = 0
  for (x, y) in zip(a, b) {
    largest = max(largest, abs(x))
    worst = max(worst, abs(x - y))
  }
  return (largest, worst)
}
