import Foundation

extension Figure {
  /// A matrix as coloured cells with tick labels (MIN Fig. 7: attention of each position of a
  /// user's sequence over the earlier ones, items named by their titles).
  ///
  /// `matrix[r][c]` is drawn at row r (counted from the top) and column c. Row and column
  /// labels are optional (empty: numbered ticks); when given they must match the matrix, and
  /// each is shortened to `labelLimit` characters with a trailing "…", since item titles such
  /// as "Star Wars: Episode V - The Empire Strikes Back (1980)" would crowd out the map.
  /// NaN cells are drawn blank.
  public static func heatmap(
    _ matrix: [[Double]], rowLabels: [String] = [], columnLabels: [String] = [], labelLimit: Int = 24,
    title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, size: PlotSize = .standard
  ) throws -> Figure {
    guard let width = matrix.first?.count, width > 0 else {
      throw PlotError.noData(figure: "heatmap", reason: "the matrix is empty")
    }
    for (index, row) in matrix.enumerated() where row.count != width {
      throw PlotError.badShape(
        figure: "heatmap", reason: "row \(index) has \(row.count) values but row 0 has \(width); rows must have equal length")
    }
    if !rowLabels.isEmpty, rowLabels.count != matrix.count {
      throw PlotError.badShape(
        figure: "heatmap", reason: "\(rowLabels.count) row labels for \(matrix.count) rows")
    }
    if !columnLabels.isEmpty, columnLabels.count != width {
      throw PlotError.badShape(
        figure: "heatmap", reason: "\(columnLabels.count) column labels for \(width) columns")
    }
    if matrix.allSatisfy({ $0.allSatisfy { !$0.isFinite } }) {
      throw PlotError.noData(figure: "heatmap", reason: "no cell holds a finite number")
    }
    let limit = max(labelLimit, 2)
    let map = Heatmap(
      values: matrix,
      rowLabels: rowLabels.map { shortened($0, limit: limit) },
      columnLabels: columnLabels.map { shortened($0, limit: limit) })
    return Figure(kind: .heatmap(map), title: title, xLabel: xLabel, yLabel: yLabel, size: size)
  }

  /// `label` on one line, at most `limit` characters: runs of white space become one space and
  /// a longer label keeps its first `limit - 1` characters followed by "…".
  public static func shortened(_ label: String, limit: Int) -> String {
    let words = label.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
    let oneLine = words.joined(separator: " ")
    guard oneLine.count > limit else { return oneLine }
    let kept = oneLine.prefix(limit - 1).trimmingCharacters(in: .whitespaces)
    return kept + "…"
  }
}
