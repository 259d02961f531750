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

  /// The batch of the given rows: [rows, maxlen] inputs and targets, 0 where empty.
  public func batch(_ indices: some Collection<Int>, padding: Padding = .left) -> Batch {
    let size = indices.count
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
          let length = Int(row.end - row.start)
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
  /// in row order when `seed` is nil. The last batch may be smaller.
  public func batches(size: Int, seed: UInt64?, padding: Padding = .left) -> BatchIterator {
    var order = Array(rows.indices)
    if let seed {
      var random = DataRandom(seed: seed)
      random.shuffle(&order)
    }
    return BatchIterator(instances: self, order: order, size: max(1, size), padding: padding)
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
  public let order: [Int]
  public let size: Int
  public let padding: Padding
  private var position = 0

  init(instances: TrainingInstances, order: [Int], size: Int, padding: Padding) {
    self.instances = instances
    self.order = order
    self.size = size
    self.padding = padding
  }

  public var batchCount: Int { (order.count + size - 1) / size }

  public mutating func next() -> Batch? {
    guard position < order.count else { return nil }
    let end = Swift.min(order.count, position + size)
    defer { position = end }
    return instances.batch(order[position..<end], padding: padding)
  }
}
