/// Where the dense ("visual") item features come from.
public enum VisualSource: Sendable, Equatable, CustomStringConvertible {
  /// A float_seq column of the .item file.
  case column(String)
  /// A NumPy .npy file [items, d]. Rows are matched to items by `ids`, a text file with one raw
  /// item id per line; when nil, a file beside the .npy with the same stem and extension `.ids`
  /// or `.txt` is used if present, else the rows follow the .item file's row order.
  case npy(path: String, ids: String?)
  /// Latent coordinates of the item–entity matrix from .link and .kg (truncated SVD).
  case knowledgeGraph(rank: Int)

  public static let defaultGraphRank = 64

  /// Reads the form the language uses: "kg" or "kg:32", a path ending in ".npy", else a column.
  public init(_ text: String) {
    if text == "kg" {
      self = .knowledgeGraph(rank: Self.defaultGraphRank)
    } else if text.hasPrefix("kg:"), let rank = Int(text.dropFirst(3)) {
      self = .knowledgeGraph(rank: rank)
    } else if text.lowercased().hasSuffix(".npy") {
      self = .npy(path: text, ids: nil)
    } else {
      self = .column(text)
    }
  }

  public var description: String {
    switch self {
    case .column(let name): return "column \(name)"
    case .npy(let path, let ids): return ids.map { "\(path) (ids \($0))" } ?? path
    case .knowledgeGraph(let rank): return "kg (rank \(rank))"
    }
  }
}

/// What to do with items that lack a requested modality (MIN §5.1.1 removes them).
public enum MissingModalityPolicy: String, Sendable {
  /// Remove the item and its interactions (before k-core filtering).
  case drop
  /// Keep the item with a zero feature row or an empty word list.
  case zero
}

/// Everything `Dataset.load` can be told besides the modalities.
public struct LoadOptions: Sendable {
  public var missing: MissingModalityPolicy = .drop
  /// k-core thresholds; 0 or 1 turns a side off. MIN uses 5 and 5.
  public var minUserInteractions = 0
  public var minItemInteractions = 0
  /// Words rarer than this (over all items) become the out-of-vocabulary id.
  public var minWordCount = 1
  /// Words kept per item.
  public var maxWords = 32
  public var userField = "user_id"
  public var itemField = "item_id"
  /// Orders each user's interactions; when the .inter file lacks it, file order is used.
  public var timeField = "timestamp"
  /// The .item column used for titles; nil picks the first column whose name contains "title".
  public var titleField: String? = nil

  public init() {}
}
