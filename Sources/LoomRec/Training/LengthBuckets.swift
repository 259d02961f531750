/// The widths of length-bucketed batches, in training (`fit(..., buckets: true)`) and in
/// evaluation: a batch of left-padded rows is cut to the smallest width that holds its longest
/// row. Cutting columns that are padding in every row is exact up to float rounding — padding
/// is masked and `selfatt` counts positions back from the row's end (`TrimmedBatchTests`).
public enum LengthBuckets {
  /// maxlen and its halvings down to ⌈maxlen/8⌉, ascending (50: 7, 13, 25, 50): few, so that
  /// few programs are compiled.
  public static func widths(maxlen: Int) -> [Int] {
    var widths = [maxlen]
    while widths.count < 4, let last = widths.last, last > 1 { widths.append((last + 1) / 2) }
    return widths.reversed()
  }

  /// The width for rows whose longest is `longest` items.
  public static func width(holding longest: Int, maxlen: Int) -> Int {
    widths(maxlen: maxlen).first { $0 >= longest } ?? maxlen
  }

  /// `inputs` (`[batch, maxlen]`, left-padded) without the leading columns that are padding in
  /// every row beyond the bucket width, and that width.
  public static func trimmed(_ inputs: [Int32], batch: Int, maxlen: Int) -> (inputs: [Int32], width: Int) {
    var longest = 0
    for row in 0..<batch {
      let cells = inputs[(row * maxlen)..<((row + 1) * maxlen)]
      if let first = cells.firstIndex(where: { $0 != 0 }) { longest = max(longest, (row + 1) * maxlen - first) }
    }
    let width = width(holding: longest, maxlen: maxlen)
    guard width < maxlen else { return (inputs, maxlen) }
    var cut = [Int32]()
    cut.reserveCapacity(batch * width)
    for row in 0..<batch { cut += inputs[(row * maxlen + maxlen - width)..<((row + 1) * maxlen)] }
    return (cut, width)
  }
}
