/// How training rows are cut from each user's training sequence.
public enum InstanceMode: String, Sendable, CaseIterable {
  /// Every prefix predicts its next item with up to maxlen items of context (RecBole, GRU4Rec):
  /// one row per training target, the target at the row's last position.
  case prefix
  /// Windows of maxlen positions, every position a target, cut from the end so that every
  /// training target is covered exactly once.
  case windows
  /// Only the last maxlen positions of each user, every position a target (original SASRec).
  case last
}

/// Which side of a row holds the padding zeros.
public enum Padding: String, Sendable {
  /// Items end at the last column (RecBole's gather of the last position becomes column maxlen-1).
  case left
  /// Items start at column 0, so an item keeps its position when the sequence grows.
  case right
}

/// One training row, by offsets into its user's training sequence s:
/// inputs s[start..<end]; each input position p in firstTarget..<end has target s[p + 1].
public struct TrainingInstance: Sendable, Equatable {
  public var user: Int32
  public var start: Int32
  public var end: Int32
  public var firstTarget: Int32

  /// Items in the row's input.
  public var length: Int { Int(end - start) }
}

/// The training rows of a split for one mode, ready to be batched.
///
/// Rows hold offsets, not copies, so building them is O(rows) and cheap in every mode.
/// `foldPrefixes` (prefix mode only) packs all prefixes whose context starts at the first item
/// into one row with every position a target. A causal model with absolute positions and
/// right padding computes exactly the same predictions for that row as for the separate
/// prefixes, once instead of once per prefix; later prefixes (context longer than maxlen)
/// stay separate rows.
public struct TrainingInstances: Sendable {
  public var mode: InstanceMode
  public var maxlen: Int
  public var foldPrefixes: Bool
  /// Per user, the training sequence the rows point into.
  public var sequences: [[Int32]]
  public var rows: [TrainingInstance]

  public init(sequences: [[Int32]], mode: InstanceMode, maxlen: Int, foldPrefixes: Bool = false) throws {
    guard maxlen > 0 else {
      throw DataError(.badOption, file: "training instances", "maxlen must be at least 1, got \(maxlen)")
    }
    self.mode = mode
    self.maxlen = maxlen
    self.foldPrefixes = foldPrefixes && mode == .prefix
    self.sequences = sequences
    var rows: [TrainingInstance] = []
    for (user, sequence) in sequences.enumerated() {
      let n = sequence.count
      let u = Int32(user)
      func add(_ start: Int, _ end: Int, _ first: Int) {
        rows.append(TrainingInstance(user: u, start: Int32(start), end: Int32(end), firstTarget: Int32(first)))
      }
      guard n >= 2 else { continue }
      switch mode {
      case .prefix:
        var t = 1
        if self.foldPrefixes {
          let folded = min(n - 1, maxlen)
          add(0, folded, 0)
          t = folded + 1
        }
        while t < n {
          add(max(0, t - maxlen), t, t - 1)
          t += 1
        }
      case .windows:
        var end = n - 1
        while end > 0 {
          let start = max(0, end - maxlen)
          add(start, end, start)
          end = start
        }
      case .last:
        add(max(0, n - 1 - maxlen), n - 1, max(0, n - 1 - maxlen))
      }
    }
    self.rows = rows
  }

  /// Rows from a split's training parts (optionally with validation, to retrain before testing).
  public init(
    split: Split, mode: InstanceMode, maxlen: Int, includingValidation: Bool = false,
    foldPrefixes: Bool = false
  ) throws {
    try self.init(
      sequences: split.trainingSequences(includingValidation: includingValidation), mode: mode,
      maxlen: maxlen, foldPrefixes: foldPrefixes)
  }

  /// Number of (position, target) pairs over all rows.
  public var targetCount: Int { rows.reduce(0) { $0 + Int($1.end - $1.firstTarget) } }

  /// Training item counts (each item once per occurrence in the training sequences), for
  /// popularity sampling and the popularity baseline.
  public func itemCounts(itemCount: Int) -> [Int] {
    var counts = [Int](repeating: 0, count: itemCount + 1)
    for sequence in sequences { for item in sequence { counts[Int(item)] += 1 } }
    return counts
  }

  /// The batch of the given rows: [rows, width] inputs and targets, 0 where empty; `width`
  /// (default maxlen) must hold the longest of the rows.
  public func batch(_ indices: some Collection<Int>, padding: Padding = .left, width: Int? = nil) -> Batch {
    let size = indices.count
    let maxlen = width ?? self.maxlen
    var batch = Batch(
      users: [], inputs: [Int32](repeating: 0, count: size * maxlen),
      targets: [Int32](repeating: 0, count: size * maxlen),
      lengths: [], maxlen: maxlen, padding: padding)
    batch.users.reserveCapacity(size)
    batch.lengths.reserveCapacity(size)
    batch.inputs.withUnsafeMutableBufferPointer { inputs in
      batch.targets.withUnsafeMutableBufferPointer { targets in
        for (r, index) in indices.enumerated() {
          let row = rows[index]
          let sequence = sequences[Int(row.user)]
          let length = row.length
          let offset = r * maxlen + (padding == .left ? maxlen - length : 0)
          for p in Int(row.start)..<Int(row.end) {
            let column = offset + p - Int(row.start)
            inputs[column] = sequence[p]
            if p >= Int(row.firstTarget) { targets[column] = sequence[p + 1] }
          }
        }
      }
    }
    for index in indices {
      batch.users.append(Int(rows[index].user))
      batch.lengths.append(rows[index].end - rows[index].start)
    }
    return batch
  }

  /// Batches of `size` rows; shuffled with `seed` (a new seed per epoch gives a new order),
  /// in row order when `seed` is nil. The last batch may be smaller. Every batch is maxlen wide.
  ///
  /// `byLength` (needs a seed) groups rows of similar length: the shuffled rows are cut into
  /// pools of 32 batches, each pool sorted by length and cut into batches, and the batches
  /// shuffled; each batch is only as wide as the bucket (maxlen, ⌈maxlen/2⌉, ⌈maxlen/4⌉,
  /// ⌈maxlen/8⌉) that holds its longest row. Dropping columns that are padding in every row is
  /// exact for every layer (positions count back from the row's end, padding is masked); what
  /// changes is which rows share a batch. On short histories (MIN's MovieLens: 22 per user) it
  /// saves most of the padded work.
  public func batches(size: Int, seed: UInt64?, padding: Padding = .left, byLength: Bool = false) -> BatchIterator {
    let size = max(1, size)
    var order = Array(rows.indices)
    guard let seed else {
      return BatchIterator(instances: self, order: order, size: size, padding: padding)
    }
    var random = DataRandom(seed: seed)
    random.shuffle(&order)
    guard byLength else { return BatchIterator(instances: self, order: order, size: size, padding: padding) }
    var groups: [[Int]] = []
    for pool in Self.chunks(order, size * 32) {
      // Longest first, ties in shuffled order, so each pool's last batch holds the shortest rows.
      let sorted = pool.enumerated().sorted { a, b in
        let (la, lb) = (rows[a.element].length, rows[b.element].length)
        return la != lb ? la > lb : a.offset < b.offset
      }.map(\.element)
      groups += Self.chunks(sorted, size)
    }
    random.shuffle(&groups)
    return BatchIterator(instances: self, groups: groups, padding: padding, byLength: true)
  }

  /// `values` cut into consecutive pieces of `size` (the last may be shorter).
  static func chunks(_ values: [Int], _ size: Int) -> [[Int]] {
    stride(from: 0, to: values.count, by: size).map { Array(values[$0..<Swift.min(values.count, $0 + size)]) }
  }

}

extension TrainingInstances: CustomStringConvertible {
  /// e.g. "prefix instances, maxlen 50: 97057 rows, 97057 targets"; printed with results.
  public var description: String {
    "\(mode.rawValue)\(foldPrefixes ? " (folded)" : "") instances, maxlen \(maxlen): \(rows.count) rows, \(targetCount) targets"
  }
}

/// A padded batch. Shapes: B = users.count, L = maxlen; inputs and targets are [B, L] row-major.
/// targets[b, l] is the item to predict after seeing inputs[b, 0...l] (0 = no target there).
public struct Batch: Sendable, Equatable {
  public var users: [Int]
  public var inputs: [Int32]
  public var targets: [Int32]
  /// Real items per row.
  public var lengths: [Int32]
  public var maxlen: Int
  public var padding: Padding

  public var size: Int { users.count }
}

/// Walks the rows of `TrainingInstances` in a fixed (shuffled) order, one `Batch` at a time.
public struct BatchIterator: Sequence, IteratorProtocol, Sendable {
  public let instances: TrainingInstances
  /// The rows of each batch, in batch order.
  public let groups: [[Int]]
  public let padding: Padding
  /// Whether each batch is cut to the `LengthBuckets` width of its longest row; otherwise every
  /// batch is maxlen wide.
  public let byLength: Bool
  private var position = 0

  init(instances: TrainingInstances, order: [Int], size: Int, padding: Padding) {
    self.init(instances: instances, groups: TrainingInstances.chunks(order, size), padding: padding, byLength: false)
  }

  init(instances: TrainingInstances, groups: [[Int]], padding: Padding, byLength: Bool) {
    self.instances = instances
    self.groups = groups
    self.padding = padding
    self.byLength = byLength
  }

  public var batchCount: Int { groups.count }

  public mutating func next() -> Batch? {
    guard position < groups.count else { return nil }
    defer { position += 1 }
    let rows = groups[position]
    guard byLength else { return instances.batch(rows, padding: padding) }
    let longest = rows.map { instances.rows[$0].length }.max() ?? 1
    return instances.batch(rows, padding: padding, width: LengthBuckets.width(holding: longest, maxlen: instances.maxlen))
  }
}
