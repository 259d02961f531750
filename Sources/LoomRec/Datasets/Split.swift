/// How each user's chronological sequence is cut into training, validation and test parts.
public enum SplitKind: String, Sendable, Equatable {
  /// Last item test, second-to-last validation, the rest training (MIN §5.1.1, RecBole).
  case leaveOneOut = "leave-one-out"
  /// First 60 % training, next 20 % validation, last 20 % test (MFN4Rec §4.1).
  case chronological = "60/20/20"
  /// The split that came with the files (pre-split benchmark files, MMRec's `x_label`), used
  /// exactly as given: its training sequences, validation and test rows.
  case given = "given"
}

public enum SplitPart: String, Sendable, Equatable {
  case valid
  case test
}

/// Whether a chronological split predicts each held-out position or all of them at once.
public enum HeldOutTargets: String, Sendable, Equatable {
  /// Every held-out position is a next-item prediction from all earlier items (MFN4Rec).
  case each
  /// One case per user whose targets are all held-out items (several targets: Recall, MAP).
  case together
}

/// One prediction to score: the user, every earlier item (chronological; the model sees the
/// last maxlen of them) and the items that count as hits.
public struct EvaluationCase: Sendable, Equatable {
  public var user: Int
  public var history: ArraySlice<Int32>
  public var targets: ArraySlice<Int32>

  public init(user: Int, history: ArraySlice<Int32>, targets: ArraySlice<Int32>) {
    self.user = user
    self.history = history
    self.targets = targets
  }
}

/// A data set cut per user into a training prefix, validation cases and test cases.
///
/// `sequences[u][0..<trainEnd[u]]` is user u's training part; `sequences[u][0..<validEnd[u]]`
/// is training plus validation (used to retrain before testing, MFN4Rec §4.1). Every case's
/// history is a prefix that ends where its first target begins, so a held-out target is never
/// part of a training input.
public struct Split: Sendable {
  public var kind: SplitKind
  public var itemCount: Int
  public var sequences: [[Int32]]
  public var trainEnd: [Int]
  public var validEnd: [Int]
  public var valid: [EvaluationCase]
  public var test: [EvaluationCase]

  public func cases(_ part: SplitPart) -> [EvaluationCase] { part == .valid ? valid : test }

  /// Per user, the items a model may train on: the training part, or training plus validation.
  public func trainingSequences(includingValidation: Bool = false) -> [[Int32]] {
    sequences.indices.map {
      Array(sequences[$0][0..<(includingValidation ? validEnd[$0] : trainEnd[$0])])
    }
  }

  /// The data set's own split (`Dataset.givenSplit`), unchanged: user u trains on
  /// `sequences[u][0..<trainEnd[u]]` (its training sequence as the files give it), and the
  /// validation and test cases are the files' rows, histories included.
  public static func given(_ data: Dataset) throws -> Split {
    guard let given = data.givenSplit else {
      throw DataError(
        .badOption, file: data.name, "data set '\(data.name)' came without a split of its own",
        help:
          "use leave-one-out or chronological, or load a pre-split folder (NAME.train.inter, NAME.valid.inter, NAME.test.inter)")
    }
    return Split(
      kind: .given, itemCount: data.itemCount, sequences: data.sequences, trainEnd: given.trainEnd,
      validEnd: given.validEnd, valid: given.valid, test: given.test)
  }

  /// Leave-one-out by time. A user with n >= 3 items gives one validation case (history
  /// items 0..<n-2, target n-2) and one test case (history 0..<n-1, target n-1); with n == 2
  /// only the test case; with n == 1 no case.
  public static func leaveOneOut(_ data: Dataset) -> Split {
    var split = Split(
      kind: .leaveOneOut, itemCount: data.itemCount, sequences: data.sequences, trainEnd: [],
      validEnd: [], valid: [], test: [])
    for (user, sequence) in data.sequences.enumerated() {
      let n = sequence.count
      let trainEnd = n >= 3 ? n - 2 : min(n, 1)
      let validEnd = n >= 3 ? n - 1 : min(n, 1)
      split.trainEnd.append(trainEnd)
      split.validEnd.append(validEnd)
      if n >= 3 {
        split.valid.append(
          EvaluationCase(user: user, history: sequence[0..<(n - 2)], targets: sequence[(n - 2)..<(n - 1)]))
      }
      if n >= 2 {
        split.test.append(
          EvaluationCase(user: user, history: sequence[0..<(n - 1)], targets: sequence[(n - 1)..<n]))
      }
    }
    return split
  }

  /// Chronological split by fractions (MFN4Rec §4.1 uses 0.6 and 0.2): with n items,
  /// trainEnd = max(1, ⌊0.6 n⌋) and validEnd = max(trainEnd, ⌊0.8 n⌋); positions from
  /// trainEnd are validation, from validEnd test. With `.each`, every held-out position t is a
  /// case with history 0..<t; with `.together`, one case per part holds all its items.
  public static func chronological(
    _ data: Dataset, train: Double = 0.6, valid: Double = 0.2, targets: HeldOutTargets = .each
  ) throws -> Split {
    guard train > 0, valid >= 0, train + valid < 1 else {
      throw DataError(
        .badOption, file: "split",
        "fractions train \(train) and valid \(valid) must be positive and sum to less than 1")
    }
    var split = Split(
      kind: .chronological, itemCount: data.itemCount, sequences: data.sequences, trainEnd: [],
      validEnd: [], valid: [], test: [])
    for (user, sequence) in data.sequences.enumerated() {
      let n = sequence.count
      let trainEnd = min(n, max(1, Int((Double(n) * train + 1e-9).rounded(.down))))
      let validEnd = min(n, max(trainEnd, Int((Double(n) * (train + valid) + 1e-9).rounded(.down))))
      split.trainEnd.append(trainEnd)
      split.validEnd.append(validEnd)
      func add(_ range: Range<Int>, to cases: inout [EvaluationCase]) {
        guard !range.isEmpty else { return }
        switch targets {
        case .each:
          for t in range {
            cases.append(EvaluationCase(user: user, history: sequence[0..<t], targets: sequence[t..<(t + 1)]))
          }
        case .together:
          cases.append(
            EvaluationCase(user: user, history: sequence[0..<range.lowerBound], targets: sequence[range]))
        }
      }
      add(trainEnd..<validEnd, to: &split.valid)
      add(validEnd..<n, to: &split.test)
    }
    return split
  }
}
