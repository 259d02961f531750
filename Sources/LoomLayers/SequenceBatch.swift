/// One training batch in global item ids: left-padded input sequences, the item that follows
/// each position (0 where none), and sampled negatives per position.
public struct SequenceBatch: Sendable {
  public var size: Int
  public var maxlen: Int
  /// `[size, maxlen]`, 0 = padding, the most recent item last.
  public var inputs: [Int32]
  /// `[size, maxlen]`: targets[b, t] is the item after inputs[b, t]; 0 = no target there.
  public var targets: [Int32]
  /// `[size, maxlen, negativesPerTarget]` for "bce" and "bpr"; empty for "ce".
  public var negatives: [Int32]
  public var negativesPerTarget: Int

  public init(size: Int, maxlen: Int, inputs: [Int32], targets: [Int32], negatives: [Int32] = [], negativesPerTarget: Int = 0) {
    (self.size, self.maxlen, self.inputs, self.targets) = (size, maxlen, inputs, targets)
    (self.negatives, self.negativesPerTarget) = (negatives, negativesPerTarget)
  }
}

/// The training loss of a recommender (every position of every sequence is a target).
public enum Objective: Sendable, Equatable, CustomStringConvertible {
  /// Binary cross-entropy, one positive against n sampled negatives (MIN eq. 2):
  /// softplus(−s⁺) + mean_j softplus(s⁻_j), each averaged over positions.
  case bce(negatives: Int)
  /// Bayesian personalised ranking: mean_j softplus(−(s⁺ − s⁻_j)).
  case bpr(negatives: Int)
  /// Softmax cross-entropy over all items (MFN4Rec eqs. 11–12).
  case ce

  public var negatives: Int {
    switch self {
    case .bce(let n), .bpr(let n): return n
    case .ce: return 0
    }
  }
  public var description: String {
    switch self {
    case .bce(let n): return "bce, \(n) negative\(n == 1 ? "" : "s")"
    case .bpr(let n): return "bpr, \(n) negative\(n == 1 ? "" : "s")"
    case .ce: return "ce (full softmax)"
    }
  }

  /// The name `named(_:negatives:)` reads: "bce", "bpr" or "ce".
  public var name: String {
    switch self {
    case .bce: return "bce"
    case .bpr: return "bpr"
    case .ce: return "ce"
    }
  }

  public static func named(_ name: String, negatives: Int) throws -> Objective {
    switch name {
    case "bce": return .bce(negatives: max(1, negatives))
    case "bpr": return .bpr(negatives: max(1, negatives))
    case "ce": return .ce
    default: throw LayerError(.argument, "unknown loss '\(name)'", help: "use \"bce\", \"bpr\" or \"ce\"")
    }
  }
}
