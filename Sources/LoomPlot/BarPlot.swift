import Foundation

extension Figure {
  /// Grouped bars from a table, for ablations and comparisons (MIN Fig. 4).
  ///
  /// - x: the column whose distinct values are the clusters along the horizontal axis.
  /// - y: the measured columns. Without `by`, each y column is one bar in every cluster
  ///   (`bars(c, x: "model", y: ["hr@10", "ndcg@10"])`). With `by`, y must be a single column
  ///   and each distinct `by` value is one bar (`x: "data", y: "ndcg@10", by: "model"`).
  /// - error: columns holding the ± half-height of error bars (a standard deviation over runs),
  ///   one per y column, or one when `by` is given. Empty means no error bars.
  ///
  /// A missing or non-finite value leaves a gap; two rows for the same cluster and bar are an
  /// error, since the figure cannot tell which one to show.
  public static func bars(
    _ rows: [TableRow], x: String, y: [String], by: String? = nil, error: [String] = [],
    title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, size: PlotSize = .standard
  ) throws -> Figure {
    let table = TableColumns(figure: "bars", rows: rows)
    guard !rows.isEmpty else { throw PlotError.noData(figure: "bars", reason: "the table has no rows") }
    guard !y.isEmpty else { throw PlotError.badShape(figure: "bars", reason: "name at least one y column") }
    if by != nil, y.count != 1 {
      throw PlotError.badShape(
        figure: "bars", reason: "with by: give one y column, not \(y.count) (\(y.joined(separator: ", ")))")
    }
    if !error.isEmpty, error.count != y.count {
      throw PlotError.badShape(
        figure: "bars", reason: "give one error column per y column: \(y.count) y, \(error.count) error")
    }
    for column in [x] + [by].compactMap({ $0 }) + y + error { try table.require(column) }

    let (groups, rowGroup) = table.groups(x)
    let bySeries = by.map { table.groups($0) }
    let seriesNames = bySeries?.labels ?? y
    var values = Array(repeating: [Double?](repeating: nil, count: groups.count), count: seriesNames.count)
    var errors = values
    var filled = Array(repeating: [Bool](repeating: false, count: groups.count), count: seriesNames.count)

    for index in rows.indices {
      let g = rowGroup[index]
      for (column, name) in y.enumerated() {
        let s = bySeries?.rowGroup[index] ?? column
        guard let value = try table.number(name, row: index) else { continue }
        if filled[s][g] {
          throw PlotError.badShape(
            figure: "bars",
            reason: "two rows for '\(groups[g])' and '\(seriesNames[s])'; keep one row per bar (average them first)")
        }
        filled[s][g] = true
        values[s][g] = value.isFinite ? value : nil
        if !error.isEmpty, let spread = try table.number(error[column], row: index), spread.isFinite {
          errors[s][g] = spread
        }
      }
    }
    guard values.contains(where: { $0.contains { $0 != nil } }) else {
      throw PlotError.noData(figure: "bars", reason: "no finite numbers in \(y.joined(separator: ", "))")
    }

    let chart = BarChart(groups: groups, seriesNames: seriesNames, values: values, errors: error.isEmpty ? nil : errors)
    return Figure(
      kind: .bars(chart), title: title, xLabel: xLabel ?? x, yLabel: yLabel ?? (y.count == 1 ? y[0] : nil),
      size: size)
  }
}
