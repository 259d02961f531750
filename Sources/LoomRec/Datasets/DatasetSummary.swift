import Foundation

/// The statistics of MIN's Table 1 and a few more, one per line:
/// ```
/// ml-100k
///   users          943
///   items          1682
///   interactions   100000
///   avg length     106.04
///   density        6.3047%
///   visual         [1683, 64]
///   text           vocabulary 2903 words, up to 32 per item (avg 5.4)
/// ```
/// density = interactions / (users × items); feature shapes include the padding row 0.
public func describe(_ d: Dataset) -> String {
  let users = d.userCount
  let items = d.itemCount
  let interactions = d.interactionCount
  func row(_ label: String, _ value: String) -> String {
    "  " + label.padding(toLength: 15, withPad: " ", startingAt: 0) + value
  }
  var lines = [d.name]
  lines.append(row("users", "\(users)"))
  lines.append(row("items", "\(items)"))
  lines.append(row("interactions", "\(interactions)"))
  lines.append(row("avg length", String(format: "%.2f", users > 0 ? Double(interactions) / Double(users) : 0)))
  let density = users > 0 && items > 0 ? 100 * Double(interactions) / (Double(users) * Double(items)) : 0
  lines.append(row("density", String(format: "%.4f%%", density)))
  for (name, matrix) in d.features.sorted(by: { $0.key < $1.key }) {
    lines.append(row(name, "[\(matrix.rows), \(matrix.cols)]"))
  }
  if let text = d.text {
    let realItems = max(1, text.lengths.count - 1)
    let words = text.lengths.reduce(0) { $0 + Int($1) }
    // The words are "text" unless a dense table already goes by that name.
    lines.append(
      row(
        d.features["text"] == nil ? "text" : "words",
        String(
          format: "vocabulary %d words, up to %d per item (avg %.1f)",
          text.vocabulary.count, text.maxWords, Double(words) / Double(realItems))))
  }
  if d.titles != nil { lines.append(row("titles", "yes")) }
  if let split = d.givenSplit {
    lines.append(row("split", "as given by \(split.source): \(split.valid.count) validation and \(split.test.count) test cases"))
  }
  for note in d.notes { lines.append(row("note", note)) }
  return lines.joined(separator: "\n")
}
