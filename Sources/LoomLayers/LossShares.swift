/// What each loss term is a mean over, so that a batch split into shards (data-parallel
/// training) can weight each shard's mean by its share and the shards' gradients add up to the
/// whole batch's: mean over the batch = Σ_shards (n_shard / n_batch) · mean over the shard.
public enum LossUnit: Sendable, Equatable {
  /// The batch's target cells (input and target both non-padding): the main term under every
  /// objective (softmax CE over targeted rows; BCE and BPR over the target mask, n per target).
  case targets
  /// The batch's non-padding input cells: MIN's reconstruction loss L_rec (§4.2; its weights are
  /// the items' occurrences among the inputs) and L_ss (§4.3; masked by the sequence mask).
  case positions

  /// How many of this unit `batch` holds.
  public func count(in batch: SequenceBatch) -> Int {
    switch self {
    case .targets: zip(batch.inputs, batch.targets).reduce(0) { $0 + ($1.0 != 0 && $1.1 != 0 ? 1 : 0) }
    case .positions: batch.inputs.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
    }
  }
}

extension Recommender {
  /// The unit of each loss term, in `lossWeights`' order; an auxiliary loss whose unit is not
  /// known cannot be split across processes and is an error.
  public func lossUnits() throws -> [LossUnit] {
    try [.targets]
      + auxiliaryLosses.map { loss in
        guard loss.node.layer is Reconstruction || loss.node.layer is InfoNCE else {
          throw LayerError(
            .argument, "the auxiliary loss \(loss.node.layer) has no known mean, so it cannot be split across processes")
        }
        return .positions
      }
  }
}
