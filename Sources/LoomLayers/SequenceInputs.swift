import LoomGraph

extension CompiledGraph {
  /// Feeds a batch's item sequence (`[batch, maxlen]` global ids, 0 = padding) to whichever of
  /// "sequence" and "sequence mask" the graph kept: a model without sequence layers (MIN_s,
  /// only lifted item vectors) has neither. `rows` gives the ids as item-set rows when the
  /// graph's item tables are a batch's item set rather than the whole catalogue.
  func feedSequence(_ ids: [Int32], rows: [Int32]? = nil) throws {
    if hasInput("sequence") { try feed("sequence", indices: rows ?? ids) }
    if hasInput("sequence mask") { try feed("sequence mask", ids.map { $0 != 0 ? 1 : 0 }) }
    if hasInput("last sequence"), let id = graph.inputID("last sequence") {
      // Evaluation's user pass: the item at each row's last position.
      let batch = graph.shape(id)[0]
      let maxlen = ids.count / max(batch, 1)
      let source = rows ?? ids
      try feed("last sequence", indices: (0..<batch).map { source[$0 * maxlen + maxlen - 1] })
    }
  }
}
