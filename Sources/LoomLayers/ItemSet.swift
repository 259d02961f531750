import LoomGraph
import LoomTensor

/// The items a graph computes item-level values for, and what the standard inputs hold for them.
///
/// Row 0 is always the padding item; rows past the real ones repeat it with weight 0, so that a
/// compiled graph can be reused for item sets of nearby sizes (`rows` is rounded up to a bucket).
struct ItemSet {
  var ids: [Int32]
  /// Occurrences of each row's item in the batch's input sequences (0 for padding rows).
  var weights: [Float]

  /// Rounds an item count up to a multiple of 256, and to all items once that is within a
  /// quarter of them: few distinct graph sizes (batches of a small catalogue touch most items,
  /// and each size is a compiled program).
  static func bucket(_ count: Int, itemCount: Int) -> Int {
    let rounded = (count + 255) / 256 * 256
    return rounded * 4 >= (itemCount + 1) * 3 ? itemCount + 1 : rounded
  }

  /// Fills whichever of the item inputs the graph kept.
  func feed(_ g: CompiledGraph, _ catalog: ItemCatalog) throws {
    if g.hasInput("items") { try g.feed("items", indices: ids) }
    let w = catalog.maxWords
    if g.hasInput("words") {
      let p = UnsafeMutableRawPointer(try g.inputPointer("words")).assumingMemoryBound(to: Int32.self)
      catalog.words.withUnsafeBufferPointer { words in
        guard let source = words.baseAddress else { return }  // no words: w is 0
        for (r, id) in ids.enumerated() { (p + r * w).update(from: source + Int(id) * w, count: w) }
      }
    }
    if g.hasInput("word mask") {
      let p = try g.inputPointer("word mask")
      for (r, id) in ids.enumerated() {
        for k in 0..<w { p[r * w + k] = catalog.words[Int(id) * w + k] != 0 ? 1 : 0 }
      }
    }
    if g.hasInput("word weights") {
      let p = try g.inputPointer("word weights")
      let tfidf = catalog.tfidf
      tfidf.withUnsafeBufferPointer { t in
        guard let source = t.baseAddress else { return }  // no words: w is 0
        for (r, id) in ids.enumerated() { (p + r * w).update(from: source + Int(id) * w, count: w) }
      }
    }
    if g.hasInput("item weights") { try g.feed("item weights", weights) }
  }
}
