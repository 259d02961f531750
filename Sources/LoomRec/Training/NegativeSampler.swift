import Foundation

/// How negative items are drawn.
public enum SamplerKind: String, Sendable, Equatable {
  /// Every item equally likely.
  case uniform
  /// Proportional to the item's number of training interactions.
  case popularity
}

/// Draws negative items for training losses (BPR, BCE with negatives).
/// A drawn negative is never the positive it is paired with.
public struct NegativeSampler: Sendable {
  public let kind: SamplerKind
  public let itemCount: Int
  /// Running sum of the weights of items 1...itemCount (popularity only); cumulative[i-1]
  /// is the sum up to item i.
  private let cumulative: [Double]

  /// - Parameter counts: interactions per item id (index 0 ignored), used by `.popularity`.
  public init(kind: SamplerKind, itemCount: Int, counts: [Int] = []) {
    self.kind = kind
    self.itemCount = itemCount
    var total = 0.0
    cumulative =
      kind == .popularity
      ? (1...max(itemCount, 1)).map { item in
        total += item < counts.count ? Double(counts[item]) : 0
        return total
      } : []
  }

  /// One item in 1...itemCount other than `positive` (0 when no other item exists).
  public func sample(avoiding positive: Int32, using random: inout DataRandom) -> Int32 {
    guard itemCount >= 2 || (itemCount == 1 && positive != 1) else { return 0 }
    if kind == .popularity, let total = cumulative.last, total > 0 {
      // A few rejections suffice unless the positive holds almost all the weight.
      for _ in 0..<32 {
        let item = Int32(random.pick(cumulative: cumulative) + 1)
        if item != positive { return item }
      }
    }
    if positive < 1 || Int(positive) > itemCount { return Int32(random.below(itemCount) + 1) }
    // Uniform over the other items: draw from itemCount-1 and skip over the positive.
    let item = Int32(random.below(itemCount - 1) + 1)
    return item >= positive ? item + 1 : item
  }

  /// `perTarget` negatives for every target, laid out [targets.count, perTarget];
  /// where a target is 0 (no target) its negatives are 0 too.
  public func negatives(for targets: [Int32], perTarget: Int, using random: inout DataRandom) -> [Int32] {
    var result = [Int32](repeating: 0, count: targets.count * perTarget)
    for (index, target) in targets.enumerated() where target != 0 {
      for j in 0..<perTarget { result[index * perTarget + j] = sample(avoiding: target, using: &random) }
    }
    return result
  }
}

/// Draws the candidates of sampled ranking (MIN §5.1.1 ranks each target against 1000 sampled
/// items): n distinct items the user never touched (in any part of the split), uniformly or by
/// popularity. When fewer than n such items exist, all of them are returned.
public struct EvaluationSampler: Sendable {
  public let kind: SamplerKind
  public let itemCount: Int
  private let weights: [Double]
  private let sampler: NegativeSampler
  /// marks[i] == stamp: item i is touched or already drawn for the current user.
  private var marks: [Int]
  private var stamp = 0

  public init(kind: SamplerKind, itemCount: Int, counts: [Int] = []) {
    self.kind = kind
    self.itemCount = itemCount
    self.weights = (0...itemCount).map { $0 > 0 && $0 < counts.count ? Double(counts[$0]) : 0 }
    self.sampler = NegativeSampler(kind: kind, itemCount: itemCount, counts: counts)
    self.marks = [Int](repeating: -1, count: itemCount + 1)
  }

  public mutating func sample(_ n: Int, touched: some Sequence<Int32>, using random: inout DataRandom)
    -> [Int32]
  {
    stamp += 1
    var available = itemCount
    for item in touched where marks[Int(item)] != stamp {
      marks[Int(item)] = stamp
      available -= 1
    }
    let wanted = min(n, available)
    var result: [Int32] = []
    result.reserveCapacity(wanted)
    if wanted <= 0 { return result }
    // Rejection is fast while at most half the untouched items are wanted.
    if wanted * 2 <= available {
      var attempts = 0
      while result.count < wanted && attempts < 64 * wanted {
        attempts += 1
        let item = sampler.sample(avoiding: 0, using: &random)
        if item > 0, marks[Int(item)] != stamp {
          marks[Int(item)] = stamp
          result.append(item)
        }
      }
      if result.count == wanted { return result }
    }
    // Otherwise draw without replacement over the remaining items: uniform by a partial
    // Fisher–Yates shuffle; popularity by Efraimidis–Spirakis keys u^(1/w), top ones win.
    let (marks, stamp) = (self.marks, self.stamp)
    var rest = (1...itemCount).filter { marks[$0] != stamp }.map { Int32($0) }
    let need = wanted - result.count
    if kind == .uniform || weights.allSatisfy({ $0 == 0 }) {
      for i in 0..<need {
        rest.swapAt(i, i + random.below(rest.count - i))
        result.append(rest[i])
      }
    } else {
      // log(u)/w is monotone in u^(1/w); items of weight 0 come last.
      let keys = rest.map { item -> Double in
        let w = weights[Int(item)]
        let u = 1 - random.uniform()
        return w > 0 ? log(u) / w : -Double.infinity
      }
      let chosen = rest.indices.sorted { keys[$0] != keys[$1] ? keys[$0] > keys[$1] : rest[$0] < rest[$1] }
      result += chosen.prefix(need).map { rest[$0] }
    }
    for item in result { self.marks[Int(item)] = stamp }
    return result
  }
}
