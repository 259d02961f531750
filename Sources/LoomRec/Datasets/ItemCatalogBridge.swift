import LoomLayers
import LoomTensor

extension Dataset {
  /// The layers' view of this data set's items: word matrix, dense feature tables as tensors.
  /// Word rows are cut to the longest text, so no recurrent step runs over padding only.
  public func itemCatalog() -> ItemCatalog {
    var tables: [String: Tensor] = [:]
    for (name, m) in features { tables[name] = Tensor(shape: [m.rows, m.cols], values: m.values) }
    guard let text, text.maxWords > 0 else { return ItemCatalog(name: name, itemCount: itemCount, features: tables) }
    let width = max(1, Int(text.lengths.max() ?? 1))
    var words = [Int32](repeating: 0, count: (itemCount + 1) * width)
    for item in 0...itemCount {
      for k in 0..<min(width, text.maxWords) { words[item * width + k] = text.words[item * text.maxWords + k] }
    }
    return ItemCatalog(
      name: name, itemCount: itemCount, words: words, maxWords: width,
      vocabularySize: text.vocabulary.count, features: tables)
  }
}
