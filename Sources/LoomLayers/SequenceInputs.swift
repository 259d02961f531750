import LoomGraph

extension CompiledGraph {
  /// Feeds a batch's item sequence (`[batch, maxlen]` global ids, 0 = padding) to whichever of
  /// "sequence" and "sequence mask" the graph kept: a model without sequence layers (MIN_s,
  /// only lifted item vectors) has neither. `rows` gives the ids as item-set rows when the
  /// graph's item tables are a batch's item set rather than the whole catalogue.
  func feedSequence(_ ids: [Int32], rows: [Int32]? = nil) throws {
    if hasInput("sequence") { try feed("sequence", indices: rows ?? ids) }
    if hasInput("sequence mask") { try feed("sequence mask", ids.map { $0 != 0 ? 1 : 0 }) }
  }
}
