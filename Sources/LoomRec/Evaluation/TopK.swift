/// The k highest-scoring items of a score row, by partial selection: a size-k min-heap over
/// one pass, O(n log k), no full sort. Column 0 (padding) and `excluded` items are skipped;
/// NaN scores never enter. Ties go to the lower item id, so results are reproducible.
///
/// - Parameters:
///   - scores: one row [itemCount + 1]; column 0 is ignored.
///   - excluded: item ids to leave out (e.g. the user's history).
/// - Returns: (item, score) pairs, best first.
public func topK(_ scores: ArraySlice<Float>, k: Int, excluding excluded: some Sequence<Int32> = [Int32]())
  -> [(item: Int32, score: Float)]
{
  let base = scores.startIndex
  let skip = Set(excluded)
  var heap: [(item: Int32, score: Float)] = []
  guard k > 0 else { return [] }
  heap.reserveCapacity(k)
  // `a` ranks below `b`: lower score, or equal score and higher id.
  func worse(_ a: (item: Int32, score: Float), _ b: (item: Int32, score: Float)) -> Bool {
    a.score != b.score ? a.score < b.score : a.item > b.item
  }
  func siftDown(_ start: Int) {
    var i = start
    while true {
      let l = 2 * i + 1
      let r = l + 1
      var m = i
      if l < heap.count && worse(heap[l], heap[m]) { m = l }
      if r < heap.count && worse(heap[r], heap[m]) { m = r }
      if m == i { return }
      heap.swapAt(i, m)
      i = m
    }
  }
  for column in 1..<scores.count {
    let score = scores[base + column]
    if score.isNaN { continue }
    let candidate = (item: Int32(column), score: score)
    if heap.count == k && !worse(heap[0], candidate) { continue }
    if !skip.isEmpty && skip.contains(candidate.item) { continue }
    if heap.count < k {
      heap.append(candidate)
      var i = heap.count - 1
      while i > 0 {
        let parent = (i - 1) / 2
        if !worse(heap[i], heap[parent]) { break }
        heap.swapAt(i, parent)
        i = parent
      }
    } else {
      heap[0] = candidate
      siftDown(0)
    }
  }
  return heap.sorted { worse($1, $0) }
}
