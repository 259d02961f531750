import LoomGraph
import LoomLayers

/// One data-parallel optimiser step, as Horovod and PyTorch's DDP take it: every rank holds
/// the same global batch (the same shuffle, the same negatives), trains on its shard of rows,
/// and one in-place sum over the ranks of a flat buffer turns the shards' gradients into the
/// whole batch's; every rank then applies the identical Adam update.
///
/// Each loss term is a mean over its unit (targets or input positions, `LossUnit`), so a shard
/// scales its term by its share n_shard / n_batch of that unit before backward: the shares'
/// gradients then sum to the gradient of the whole batch's mean, and the step equals the
/// single-process step on the global batch up to the order of float additions. What a shard
/// cannot reproduce is randomness drawn across the batch: dropout masks (each rank draws its
/// own) and L_ss's shuffled negatives (drawn within the shard), as with any data-parallel
/// trainer.
///
/// The buffer, summed in one allreduce: every trainable parameter's gradient (zeros where this
/// rank's program does not use it), one "used" flag per parameter, each loss term times the
/// shard's share (so the sums are the global terms), the weighted total, a stop request, a
/// non-finite flag per rank, and a 1 whose sum must equal the number of ranks (a rank whose
/// buffer has another length would break that, so disagreement is an error, not garbage).
final class DataParallelStep {
  let group: any ProcessGroup
  let model: Recommender
  let parameters: [Parameter]
  let units: [LossUnit]
  let termNames: [String]
  /// Where the parts of the exchange buffer start: gradients at 0, then the used flags, the
  /// terms, the stop request, the non-finite flags and the check value.
  let gradientCount: Int
  private var exchange: [Float]

  init(group: any ProcessGroup, model: Recommender) throws {
    self.group = group
    self.model = model
    parameters = model.trainableParameters
    units = try model.lossUnits()
    termNames = ["loss"] + model.lossTermNames
    gradientCount = parameters.reduce(0) { $0 + $1.count }
    exchange = [Float](repeating: 0, count: gradientCount + parameters.count + termNames.count + 1 + group.size + 1)
  }

  /// This rank's rows of a global batch: contiguous, as even as the batch size allows (the
  /// first `size % ranks` ranks take one row more); empty when the batch has fewer rows than
  /// there are ranks.
  static func shardRows(of size: Int, rank: Int, ranks: Int) -> Range<Int> {
    let base = size / ranks
    let extra = size % ranks
    let start = rank * base + min(rank, extra)
    return start..<(start + base + (rank < extra ? 1 : 0))
  }

  static func shard(_ b: SequenceBatch, rows: Range<Int>) -> SequenceBatch {
    let cells = (rows.lowerBound * b.maxlen)..<(rows.upperBound * b.maxlen)
    let n = b.negativesPerTarget
    return SequenceBatch(
      size: rows.count, maxlen: b.maxlen, inputs: Array(b.inputs[cells]), targets: Array(b.targets[cells]),
      negatives: n > 0 ? Array(b.negatives[(cells.lowerBound * n)..<(cells.upperBound * n)]) : [], negativesPerTarget: n)
  }

  /// Trains on this rank's shard of `batch` and updates every rank's parameters identically.
  /// Returns the whole batch's loss terms and whether any rank asked to stop after this batch.
  /// A non-finite loss on any rank throws `GraphError.nonFinite` on every rank, before any
  /// parameter changed.
  func step(
    _ batch: SequenceBatch, objective: Objective, run: RunState, optimizer: Adam, stopRequested: Bool
  ) throws -> (terms: [(name: String, value: Float)], stop: Bool) {
    let rows = Self.shardRows(of: batch.size, rank: group.rank, ranks: group.size)
    let shard = Self.shard(batch, rows: rows)
    let weights = model.lossWeights
    let shares = units.map { unit -> Float in
      let whole = unit.count(in: batch)
      return whole == 0 ? 0 : Float(unit.count(in: shard)) / Float(whole)
    }
    exchange.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    var localFailure: GraphError? = nil
    var used = Set<ObjectIdentifier>()
    if shard.size > 0 {
      do {
        let (terms, trained) = try model.computeGradients(
          shard, objective: objective, run: run, lossScales: zip(weights, shares).map { $0 * $1 })
        used = Set(trained.map(ObjectIdentifier.init))
        let termBase = gradientCount + parameters.count
        exchange[termBase] = terms[0].value  // the total, already Σ weight · share · term
        for t in 1..<terms.count { exchange[termBase + t] = terms[t].value * shares[t - 1] }
      } catch let error as GraphError {
        guard case .nonFinite = error else { throw error }
        localFailure = error
      }
    }
    exchange.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }  // never empty: it ends with the check value
      var offset = 0
      for (k, p) in parameters.enumerated() {
        if localFailure == nil, used.contains(ObjectIdentifier(p)) {
          (base + offset).update(from: p.grad.pointer, count: p.count)
          buffer[gradientCount + k] = 1
        }
        offset += p.count
      }
    }
    let flags = gradientCount + parameters.count + termNames.count
    exchange[flags] = stopRequested ? 1 : 0
    if localFailure != nil { exchange[flags + 1 + group.rank] = 1 }
    exchange[exchange.count - 1] = 1
    try exchange.withUnsafeMutableBufferPointer { try group.sum($0) }

    guard exchange[exchange.count - 1] == Float(group.size) else {
      throw DistributedError("the ranks disagree about the model being trained (gradient buffers of different lengths)")
    }
    if let failed = (0..<group.size).first(where: { exchange[flags + 1 + $0] > 0 }) {
      if let localFailure { throw localFailure }
      throw GraphError.nonFinite(op: "an op on rank \(failed)", scope: "", shapes: "(its shard of the batch)")
    }
    var updated: [Parameter] = []
    exchange.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      var offset = 0
      for (k, p) in parameters.enumerated() {
        if buffer[gradientCount + k] > 0 {
          p.grad.pointer.update(from: base + offset, count: p.count)
          updated.append(p)
        }
        offset += p.count
      }
    }
    optimizer.update(updated)
    model.parametersChanged()
    let termBase = gradientCount + parameters.count
    let terms = termNames.enumerated().map { (name: $1, value: exchange[termBase + $0]) }
    return (terms, exchange[flags] > 0)
  }

  /// Throws unless every rank holds bit-for-bit the same parameters and Adam moments: a 64-bit
  /// FNV-1a hash of their bytes, summed over the ranks in four 16-bit pieces (exact in a
  /// Double), must equal `size` times this rank's. `fit` runs it after every step when
  /// LOOM_CHECK_REPLICAS=1 (the MPI tests do).
  static func checkReplicas(_ model: Recommender, group: any ProcessGroup, step: Int) throws {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for p in model.trainableParameters {
      for storage in [p.value, p.moment1, p.moment2] {
        let bytes = UnsafeRawBufferPointer(start: storage.pointer, count: p.count * 4)
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
      }
    }
    let mine = (0..<4).map { Double((hash >> (16 * UInt64($0))) & 0xffff) }
    var summed = mine
    try summed.withUnsafeMutableBufferPointer { try group.sum($0) }
    guard summed == mine.map({ $0 * Double(group.size) }) else {
      throw DistributedError("after step \(step) the ranks' parameters differ (rank \(group.rank)'s hash is \(hash))")
    }
  }

  /// Rank 0's parameters, Adam moments and step on every rank (the start of a data-parallel
  /// run, so that no rank trains from its own initialisation or an older checkpoint).
  static func synchronize(_ model: Recommender, _ optimizer: Adam, group: any ProcessGroup) throws {
    var step = [Double(optimizer.step)]
    try step.withUnsafeMutableBytes { try group.broadcast($0, from: 0) }
    optimizer.step = Int(step[0])
    for p in model.trainableParameters {
      for storage in [p.value, p.moment1, p.moment2] {
        try group.broadcast(UnsafeMutableRawBufferPointer(start: storage.pointer, count: p.count * 4), from: 0)
      }
    }
    model.parametersChanged()
  }
}
