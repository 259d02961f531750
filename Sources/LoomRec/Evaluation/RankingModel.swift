import LoomLayers

/// What evaluation, comparison and recommendation need of a model: scores of every item for a
/// batch of left-padded sequences, `[batch, itemCount + 1]` (column 0 ignored).
public protocol RankingModel: AnyObject {
  var itemCount: Int { get }
  func scores(inputs: [Int32], batch: Int, maxlen: Int) throws -> [Float]
}

extension RankingModel {
  /// The Evaluator's scorer for this model at `maxlen`. With `lengthBuckets`, each batch is cut
  /// to the bucket width of its longest row first (`LengthBuckets.trimmed`): pays when the
  /// Evaluator groups cases of similar length (`evaluate(byLength: true)`).
  public func scorer(maxlen: Int, lengthBuckets: Bool = false) -> Scorer {
    { users, inputs in
      guard lengthBuckets else { return try self.scores(inputs: inputs, batch: users.count, maxlen: maxlen) }
      let (cut, width) = LengthBuckets.trimmed(inputs, batch: users.count, maxlen: maxlen)
      return try self.scores(inputs: cut, batch: users.count, maxlen: width)
    }
  }
}

extension Recommender: RankingModel {
  public var itemCount: Int { catalog.itemCount }
}

/// The popularity baseline: every user gets the items ranked by how often they occur in the
/// training sequences. `fit` counts; there is nothing else to learn.
public final class PopularityModel: RankingModel, CustomStringConvertible {
  public let itemCount: Int
  public private(set) var counts: [Float]

  public init(itemCount: Int) {
    self.itemCount = itemCount
    counts = [Float](repeating: 0, count: itemCount + 1)
  }

  public func fit(_ split: Split) {
    counts = [Float](repeating: 0, count: itemCount + 1)
    for sequence in split.trainingSequences() { for item in sequence { counts[Int(item)] += 1 } }
  }

  public func scores(inputs: [Int32], batch: Int, maxlen: Int) throws -> [Float] {
    var out = [Float]()
    out.reserveCapacity(batch * (itemCount + 1))
    for _ in 0..<batch { out += counts }
    return out
  }

  public var description: String { "Pop(\(itemCount) items)" }
}
