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
