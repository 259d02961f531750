import LoomLayers
import LoomRec

/// A data set as a Loom value: the data, its split, and the item catalogue layers are built on
/// (one per data set value, so every `items(data)` of a model shares it).
public final class DatasetValue: HostValue {
  public let dataset: Dataset
  public let splitKind: SplitKind
  public private(set) lazy var catalog: ItemCatalog = dataset.itemCatalog()
  private var cachedSplit: Split?

  /// `split` nil: the split the files came with when they did (`Dataset.givenSplit`), else
  /// leave-one-out.
  public init(_ dataset: Dataset, split: SplitKind? = nil) {
    self.dataset = dataset
    self.splitKind = split ?? (dataset.givenSplit == nil ? .leaveOneOut : .given)
  }

  public func split() throws -> Split {
    if let cachedSplit { return cachedSplit }
    let s: Split
    switch splitKind {
    case .leaveOneOut: s = Split.leaveOneOut(dataset)
    case .chronological: s = try Split.chronological(dataset)
    case .given: s = try Split.given(dataset)
    }
    cachedSplit = s
    return s
  }

  public var typeName: String { "dataset" }
  public var description: String {
    var modalities = dataset.features.map { "\($0.key) \($0.value.cols)-d" }.sorted()
    if let text = dataset.text { modalities.append("text \(text.vocabulary.count) words") }
    return "dataset '\(dataset.name)': \(dataset.userCount) users, \(dataset.itemCount) items, "
      + "\(dataset.interactionCount) interactions" + (modalities.isEmpty ? "" : "; " + modalities.joined(separator: ", "))
  }
  public var fieldNames: [String] { ["name", "users", "items", "interactions", "modalities"] }
  public func field(_ name: String) throws -> Value? {
    switch name {
    case "name": return .string(dataset.name)
    case "users": return .number(Double(dataset.userCount))
    case "items": return .number(Double(dataset.itemCount))
    case "interactions": return .number(Double(dataset.interactionCount))
    case "modalities":
      return .list((dataset.features.keys.sorted() + (dataset.text == nil ? [] : ["text"])).map { .string($0) })
    default: return nil
    }
  }
}
