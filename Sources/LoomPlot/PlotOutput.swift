import Foundation

/// Where a figure is drawn, which picks gnuplot's terminal:
/// PNG through `pngcairo`, SVG through `svg`, PDF through `pdfcairo`, and text through `dumb`
/// (characters on a grid of `columns` × `lines`, for a plot on the console).
public enum PlotOutput: Sendable, Equatable {
  case png
  case svg
  case pdf
  case text(columns: Int, lines: Int)

  /// The image format named by a file's extension (case-insensitive): .png, .svg or .pdf.
  public init(path: String) throws {
    switch (path as NSString).pathExtension.lowercased() {
    case "png": self = .png
    case "svg": self = .svg
    case "pdf": self = .pdf
    default: throw PlotError.unknownExtension(path: path)
    }
  }

  /// The `set terminal` line. Every terminal gets `noenhanced`, or gnuplot would read "@", "_"
  /// and "^" in labels such as "hr@10" or "ndcg_at_10" as markup. PDF sizes are in inches,
  /// at 100 pixels per inch.
  func terminalLine(size: PlotSize) -> String {
    switch self {
    case .png:
      return "set terminal pngcairo size \(size.width),\(size.height) noenhanced"
    case .svg:
      return "set terminal svg size \(size.width),\(size.height) noenhanced background rgb 'white'"
    case .pdf:
      return "set terminal pdfcairo size \(inches(size.width))in,\(inches(size.height))in noenhanced"
    case .text(let columns, let lines):
      return "set terminal dumb size \(columns),\(lines) nofeed noenhanced"
    }
  }

  var isText: Bool {
    if case .text = self { return true }
    return false
  }

  private func inches(_ pixels: Int) -> String {
    GnuplotScript.number(Double(pixels) / 100)
  }
}
