import LoomLayers

/// Everything `fit` can be told, with the defaults a user gets from `fit(model, data)`.
public struct TrainingSettings: Sendable, CustomStringConvertible {
  public var epochs = 10
  /// SASRec's batch (and MFN4Rec's order of magnitude, 64). With 256, the built-in data's 837
  /// training rows at 800 users gave 4 updates an epoch: MFN4Rec reached test NDCG@10 0.114 in 15
  /// epochs against 0.181 with 128, GRU4Rec 0.149 against 0.200 (Docs/layers.md).
  public var batch = 128
  public var learningRate: Float = 1e-3
  /// λ of the L2 term (Adam's coupled weight decay, MIN eq. 3).
  public var l2: Float = 0
  /// Full softmax over all items. MIN eq. 2 (`.bce`, one sampled negative) is the papers'
  /// objective and stays an option, but with it MIN learns far slower (test NDCG@10 0.072
  /// against 0.199 on the built-in data; 0.066 against 0.101 on Amazon Scientific), so the
  /// softmax is the default (Docs/layers.md, "Training objectives").
  public var objective: Objective = .ce
  /// How many negatives "bce" and "bpr" sample per target unless told (MIN eq. 2 samples one).
  public static let sampledNegatives = 1
  /// Negatives for "bce"/"bpr" are drawn from the empirical item distribution by default
  /// (MIN §4.2.2, P_I), never equal to the positive.
  public var sampler: SamplerKind = .popularity
  /// Stop after this many epochs without improvement of `metric` on validation; nil = never.
  public var patience: Int? = nil
  public var metric = "ndcg@10"
  public var seed: UInt64 = 1
  public var maxlen = 50
  public var mode: InstanceMode = .windows
  /// Prefix mode only: fold the prefixes that start at a user's first item into one row
  /// (`TrainingInstances.foldPrefixes`). nil folds exactly when the model allows it
  /// (`Recommender.prefixesFoldExactly`); true folds anyway (an approximation for selfatt).
  public var foldPrefixes: Bool? = nil
  /// Batch rows of similar length together and cut each batch to the width of its longest row
  /// (`TrainingInstances.batches(byLength:)`), and score validation cases the same way
  /// (`Evaluator.evaluate(byLength:)`): exact per batch up to float rounding, less padded work
  /// on short histories; off by default because it changes which rows share a batch.
  public var lengthBuckets = false
  public var clipNorm: Float? = nil
  /// Evaluate on the validation split after each epoch.
  public var validate = true
  public var excludeHistory = true
  /// Threads for the run (`Parallel.ways`, a process-wide setting); nil leaves them as they are.
  public var threads: Int? = nil

  public init() {}

  public var description: String {
    "\(epochs) epoch\(epochs == 1 ? "" : "s"), batch \(batch), lr \(learningRate), l2 \(l2), loss \(objective), "
      + (objective == .ce ? "" : "\(sampler.rawValue) negatives, ")
      + "\(mode.rawValue) instances\(lengthBuckets ? " in length buckets" : ""), maxlen \(maxlen), seed \(seed)"
      + (patience.map { ", patience \($0) on \(metric)" } ?? "")
  }
}

/// One epoch of a history: each loss term's mean over its batches, validation metrics, time.
public struct EpochRecord: Sendable {
  public var epoch: Int
  public var losses: [(name: String, value: Double)]
  public var validation: [String: Double]
  public var seconds: Double
  public var sequences: Int
}

/// What `fit` returns: per-epoch records, the best epoch, and why it stopped.
public struct TrainingHistory: Sendable {
  public enum Stop: Sendable, Equatable {
    case completed
    case earlyStopped(patience: Int)
    case interrupted(epoch: Int)
    case nonFinite(epoch: Int, message: String)
  }
  /// The settings of the run, with `foldPrefixes` resolved to what the trainer did.
  public var settings: TrainingSettings
  public var instances: String
  public var records: [EpochRecord] = []
  /// The epoch whose parameters the model holds after `fit` (by validation metric), if validated.
  public var bestEpoch: Int?
  public var stop: Stop = .completed

  public init(settings: TrainingSettings, instances: String) {
    self.settings = settings
    self.instances = instances
  }

  public var summary: String {
    var s = "\(records.count) epoch\(records.count == 1 ? "" : "s")"
    if let bestEpoch, let value = records.first(where: { $0.epoch == bestEpoch })?.validation[settings.metric] {
      s += ", best \(settings.metric) \(String(format: "%.4f", value)) at epoch \(bestEpoch)"
    }
    switch stop {
    case .completed: break
    case .earlyStopped(let p): s += ", stopped early (no gain in \(p) epochs)"
    case .interrupted(let e): s += ", interrupted in epoch \(e)"
    case .nonFinite(let e, _): s += ", stopped at a non-finite loss in epoch \(e)"
    }
    return s
  }
}
