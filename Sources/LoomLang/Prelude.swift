import Foundation

/// The Loom source of the shipped models (MIN, MFN4Rec, SASRec, GRU4Rec), from the package
/// resource `prelude.loom`, which users can read and copy.
public enum Prelude {
  public static let source: String = {
    guard let url = Bundle.module.url(forResource: "prelude", withExtension: "loom"),
      let text = try? String(contentsOf: url, encoding: .utf8)
    else { return "" }
    return text
  }()
}
