/// What a comparison trains (MIN §5, MFN4Rec §4: every model run several times and tested
/// against the first): rows of models, each trained `runs` times with seeds 1...runs and
/// evaluated on the test split by full ranking with HR, NDCG and MRR at `cutoffs`.
public struct ComparisonPlan {
  /// One row: a label, how to build a fresh model, and the settings it trains with.
  public struct Row {
    public var label: String
    /// The model call and fit options as written, e.g. `SASRec = SASRec(dim: 64); fit(epochs: 5)`:
    /// with the data and the metrics, what identifies the row's runs in the journal.
    public var identity: String
    /// The run's seed is set per run; everything else is the row's.
    public var settings: TrainingSettings
    /// The sequence length to train and evaluate at; nil: the model's own (`naturalMaxlen`).
    public var maxlen: Int?
    /// A fresh, untrained model and its source call (for checkpoints).
    public var build: () throws -> (run: TrainingRun, call: String)

    public init(
      label: String, identity: String, settings: TrainingSettings, maxlen: Int?,
      build: @escaping () throws -> (run: TrainingRun, call: String)
    ) {
      (self.label, self.identity, self.settings, self.maxlen, self.build) = (label, identity, settings, maxlen, build)
    }
  }

  public var rows: [Row]
  public var runs: Int
  public var cutoffs: [Int]
  public var split: Split
  /// "NAME U users I items N interactions SPLIT": the data set, for the fingerprints.
  public var dataDescription: String
  /// `to:`: the Markdown table, with the journal and the run states beside it.
  public var table: String?
  /// `resume: true`: reuse the journal's runs and share the runs with other processes.
  public var resume: Bool

  public init(rows: [Row], runs: Int, cutoffs: [Int], split: Split, dataDescription: String, table: String?, resume: Bool) {
    (self.rows, self.runs, self.cutoffs, self.split) = (rows, runs, cutoffs, split)
    (self.dataDescription, self.table, self.resume) = (dataDescription, table, resume)
  }

  /// "hr@10", "hr@20", "ndcg@10", ...: the metrics of every row, in table order.
  public var metricNames: [String] { ["hr", "ndcg", "mrr"].flatMap { m in cutoffs.map { "\(m)@\($0)" } } }

  /// What must match for a journaled run to stand for `row` (see CompareJournal).
  public func fingerprint(_ row: Row) -> String {
    "\(row.identity); data \(dataDescription); metrics \(metricNames.joined(separator: " "))"
  }

  /// How the fingerprints name a data set and its split.
  public static func describe(_ data: Dataset, split: SplitKind) -> String {
    "\(data.name) \(data.userCount) users \(data.itemCount) items \(data.interactionCount) interactions \(split)"
  }
}
