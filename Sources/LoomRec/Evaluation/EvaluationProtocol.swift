/// Which candidates a target is ranked against.
public enum Ranking: Sendable, Equatable, CustomStringConvertible {
  /// All items (MFN4Rec; RecBole's full sort).
  case full
  /// The targets plus n items the user never touched, drawn by `sampler` (MIN §5.1.1, n = 1000).
  case sampled(n: Int, sampler: SamplerKind)

  public var description: String {
    switch self {
    case .full: return "full ranking over all items"
    case .sampled(let n, let sampler): return "sampled ranking against \(n) \(sampler.rawValue) negatives"
    }
  }
}

/// Everything that decides what a number means. It is printed beside every result, so that no
/// figure is read without it.
public struct EvaluationProtocol: Sendable, Equatable, CustomStringConvertible {
  public var split: SplitKind
  public var part: SplitPart
  public var ranking: Ranking
  /// The K of the metrics, e.g. [10, 20].
  public var cutoffs: [Int]
  /// Items already in the case's history are left out of full ranking (a target never is).
  /// RecBole keeps them for sequential models; set false to do the same.
  public var excludeHistory: Bool
  /// Context items the model sees (the last maxlen of the history).
  public var maxlen: Int
  /// Seed of the sampled negatives.
  public var seed: UInt64
  /// How the model was trained, e.g. the description of its `TrainingInstances`; set by the
  /// trainer so results carry it too.
  public var training: String?

  public init(
    split: SplitKind = .leaveOneOut, part: SplitPart = .test, ranking: Ranking = .full,
    cutoffs: [Int] = [10, 20], excludeHistory: Bool = true, maxlen: Int = 50, seed: UInt64 = 0,
    training: String? = nil
  ) {
    self.split = split
    self.part = part
    self.ranking = ranking
    self.cutoffs = cutoffs
    self.excludeHistory = excludeHistory
    self.maxlen = maxlen
    self.seed = seed
    self.training = training
  }

  /// e.g. "test split of leave-one-out; full ranking over all items, history excluded;
  /// K = 10, 20; maxlen 50".
  public var description: String {
    var parts = ["\(part.rawValue) split of \(split.rawValue)"]
    switch ranking {
    case .full: parts.append("\(ranking), history \(excludeHistory ? "excluded" : "kept")")
    case .sampled: parts.append("\(ranking) (seed \(seed))")
    }
    parts.append("K = \(cutoffs.map(String.init).joined(separator: ", "))")
    parts.append("maxlen \(maxlen)")
    if let training { parts.append("trained on \(training)") }
    return parts.joined(separator: "; ")
  }
}
