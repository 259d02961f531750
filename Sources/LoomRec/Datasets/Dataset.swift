/// A dense row-major matrix of item features: [rows, cols], row r at values[r*cols ..< (r+1)*cols].
public struct FeatureMatrix: Sendable, Equatable {
  public var rows: Int
  public var cols: Int
  public var values: [Float]

  public init(rows: Int, cols: Int, values: [Float]) {
    precondition(values.count == rows * cols, "FeatureMatrix: \(values.count) values for [\(rows), \(cols)]")
    self.rows = rows
    self.cols = cols
    self.values = values
  }

  public init(zeros rows: Int, cols: Int) {
    self.init(rows: rows, cols: cols, values: [Float](repeating: 0, count: rows * cols))
  }

  public func row(_ r: Int) -> ArraySlice<Float> { values[(r * cols)..<((r + 1) * cols)] }
}

/// The text modality: each item's words as vocabulary ids.
///
/// Shapes: `words` is [itemCount+1, maxWords] row-major, 0-padded on the right; row 0 (the padding
/// item) is all zero. `lengths[i]` is the number of real words of item i (0 for missing text).
public struct ItemText: Sendable, Equatable {
  /// Word strings by id; id 0 is padding "[PAD]", id 1 the out-of-vocabulary word "[OOV]".
  public var vocabulary: [String]
  public var maxWords: Int
  public var words: [Int32]
  public var lengths: [Int32]

  public static let padding: Int32 = 0
  public static let outOfVocabulary: Int32 = 1

  public init(vocabulary: [String], maxWords: Int, words: [Int32], lengths: [Int32]) {
    self.vocabulary = vocabulary
    self.maxWords = maxWords
    self.words = words
    self.lengths = lengths
  }

  /// The real word ids of item `item`.
  public func words(of item: Int) -> ArraySlice<Int32> {
    let start = item * maxWords
    return words[start..<(start + Int(lengths[item]))]
  }
}

/// A sequential recommendation data set: per-user chronological item sequences plus item
/// modalities. Internal ids are dense: users 0..<userCount, items 1...itemCount, item 0 is the
/// padding item "[PAD]" (so that an Int32 matrix of item ids can be 0-padded).
public struct Dataset: Sendable {
  public var name: String
  /// Internal user index 0..<userCount -> raw id.
  public var userIDs: [String]
  /// Internal item index 0...itemCount -> raw id; index 0 is "[PAD]".
  public var itemIDs: [String]
  /// Real items, ids 1...itemCount.
  public var itemCount: Int
  /// Per user, chronological internal item ids (ties in time keep file order).
  public var sequences: [[Int32]]
  /// Dense item features by modality name, each [itemCount+1, d] with row 0 zero.
  public var features: [String: FeatureMatrix]
  public var text: ItemText?
  /// Per internal item (index 0 = "").
  public var titles: [String]?
  /// What loading did beyond reading: items dropped or zero-filled for a missing modality,
  /// rows of a feature file that matched no item, k-core rounds. Shown by `describe`.
  public var notes: [String]
  /// The split the files came with, when they did; `Split.given` uses it unchanged.
  public var givenSplit: GivenSplit?

  public static let paddingID = "[PAD]"

  public init(
    name: String, userIDs: [String], itemIDs: [String], sequences: [[Int32]],
    features: [String: FeatureMatrix] = [:], text: ItemText? = nil, titles: [String]? = nil,
    notes: [String] = []
  ) {
    self.name = name
    self.userIDs = userIDs
    self.itemIDs = itemIDs
    self.itemCount = itemIDs.count - 1
    self.sequences = sequences
    self.features = features
    self.text = text
    self.titles = titles
    self.notes = notes
  }

  public var userCount: Int { userIDs.count }

  public var interactionCount: Int { sequences.reduce(0) { $0 + $1.count } }

  /// Interactions per item id (index 0 stays 0), counted over `sequences`.
  public func itemFrequencies() -> [Int] {
    var counts = [Int](repeating: 0, count: itemCount + 1)
    for sequence in sequences { for item in sequence { counts[Int(item)] += 1 } }
    return counts
  }
}

/// A split that came with the data: pre-split benchmark files (RecBole's `benchmark_filename`,
/// UniSRec's downstream format) or MMRec's `x_label` column.
///
/// User u's training sequence is `Dataset.sequences[u][0..<trainEnd[u]]`, and
/// `sequences[u][0..<validEnd[u]]` adds its validation targets; the cases carry the files' own
/// histories, which may be shorter than the prefix before their target (UniSRec cuts histories
/// to the last 50 items).
public struct GivenSplit: Sendable {
  /// Where the split came from, e.g. "Scientific.{train,valid,test}.inter".
  public var source: String
  public var trainEnd: [Int]
  public var validEnd: [Int]
  public var valid: [EvaluationCase]
  public var test: [EvaluationCase]

  public init(source: String, trainEnd: [Int], validEnd: [Int], valid: [EvaluationCase], test: [EvaluationCase]) {
    self.source = source
    self.trainEnd = trainEnd
    self.validEnd = validEnd
    self.valid = valid
    self.test = test
  }
}
