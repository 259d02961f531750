import Foundation

extension Figure {
  /// Curves from a table: training histories (one row per epoch) and sweep tables (one row per
  /// run, as in MIN Fig. 6: `plot(res, x: "dim", y: "hr20", by: "model")`).
  ///
  /// - x: the column along the horizontal axis; nil uses the row position 1, 2, 3, …
  ///   (the epoch number of a history).
  /// - y: one or more columns. With exactly two and `secondAxis`, the second is measured on
  ///   the right-hand axis, so a loss and a metric of very different scale both stay readable.
  /// - by: one series per distinct value of this column, in order of first appearance.
  ///
  /// Series are named by the `by` value, by the y column, or by both ("MIN hr20").
  /// Rows missing x or y, and NaN or infinite values, are skipped (a history that ends in a
  /// NaN loss still plots its good epochs); a series with no point left is dropped, and an
  /// error is thrown only when nothing at all remains. Points are sorted by x.
  ///
  /// - error: error-bar columns (y ± error at each point): none, one for every y column, or one
  ///   per y column. A row whose error is missing or not finite gets no bar.
  /// - logX: a base-2 logarithmic x axis (every x must then be positive).
  /// A table with an x column and at most `maximumExactTics` distinct x values (a sweep) gets
  /// its tic marks at those values, so the axis reads 16, 32, 64, 128 and not 20, 40, 60, ...
  public static func plot(
    _ rows: [TableRow], x: String? = nil, y: [String], by: String? = nil, error: [String] = [],
    secondAxis: Bool = true, title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
    y2Label: String? = nil, size: PlotSize = .standard, logX: Bool = false
  ) throws -> Figure {
    let table = TableColumns(figure: "plot", rows: rows)
    guard !rows.isEmpty else { throw PlotError.noData(figure: "plot", reason: "the table has no rows") }
    guard !y.isEmpty else { throw PlotError.badShape(figure: "plot", reason: "name at least one y column") }
    guard error.isEmpty || error.count == 1 || error.count == y.count else {
      throw PlotError.badShape(
        figure: "plot", reason: "give one error column, or one per y column: \(y.count) y, \(error.count) error")
    }
    for column in [x, by].compactMap({ $0 }) + y + error { try table.require(column) }
    let errorColumn: (Int) -> String? = { error.isEmpty ? nil : error[error.count == 1 ? 0 : $0] }

    let twoAxes = secondAxis && y.count == 2
    let (groups, rowGroup) = by.map { table.groups($0) } ?? ([""], Array(repeating: 0, count: rows.count))
    var points = Array(repeating: Array(repeating: [Series.Point](), count: y.count), count: groups.count)

    for index in rows.indices {
      let group = rowGroup[index]
      let xValue: Double
      if let x {
        guard let value = try table.number(x, row: index), value.isFinite else { continue }
        xValue = value
      } else {
        xValue = Double(index + 1)
      }
      for (column, name) in y.enumerated() {
        guard let value = try table.number(name, row: index), value.isFinite else { continue }
        let bar = try errorColumn(column).flatMap { try table.number($0, row: index) }
        points[group][column].append(Series.Point(x: xValue, y: value, error: bar?.isFinite == true ? bar : nil))
      }
    }

    var series: [Series] = []
    for (g, group) in groups.enumerated() {
      for (column, name) in y.enumerated() {
        let sorted = stableSortedByX(points[g][column])
        if sorted.isEmpty { continue }
        let seriesName: String
        switch (by, y.count) {
        case (nil, _): seriesName = name
        case (_, 1): seriesName = group
        default: seriesName = "\(group) \(name)"
        }
        series.append(Series(name: seriesName, points: sorted, axis: twoAxes && column == 1 ? .y2 : .y1))
      }
    }
    guard !series.isEmpty else {
      throw PlotError.noData(
        figure: "plot", reason: "no row has finite numbers in \(([x].compactMap { $0 } + y).joined(separator: ", "))")
    }

    let xs = Set(series.flatMap { $0.points.map(\.x) })
    if logX, let bad = xs.filter({ $0 <= 0 }).min() {
      throw PlotError.badShape(
        figure: "plot",
        reason:
          "a logarithmic x axis needs positive x values, and \(x ?? "the row number") has \(TableValue.number(bad).label); drop logx: true"
      )
    }
    return Figure(
      kind: .lines(series), title: title, xLabel: xLabel ?? x,
      yLabel: yLabel ?? (twoAxes || y.count == 1 ? y[0] : nil),
      y2Label: y2Label ?? (twoAxes ? y[1] : nil), size: size, logX: logX,
      xTics: x != nil && xs.count <= maximumExactTics ? xs.sorted() : nil)
  }

  /// More distinct x values than this get gnuplot's own tics (they would crowd each other).
  public static let maximumExactTics = 12

  /// `plot` for an all-number table, such as a training history.
  public static func plot(
    _ rows: [[String: Double]], x: String? = nil, y: [String], by: String? = nil, error: [String] = [],
    secondAxis: Bool = true, title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
    y2Label: String? = nil, size: PlotSize = .standard, logX: Bool = false
  ) throws -> Figure {
    try plot(
      rows.tableRows, x: x, y: y, by: by, error: error, secondAxis: secondAxis, title: title,
      xLabel: xLabel, yLabel: yLabel, y2Label: y2Label, size: size, logX: logX)
  }

  /// Sorted by x, keeping the table's order among equal x values.
  private static func stableSortedByX(_ points: [Series.Point]) -> [Series.Point] {
    points.enumerated()
      .sorted { $0.element.x != $1.element.x ? $0.element.x < $1.element.x : $0.offset < $1.offset }
      .map(\.element)
  }
}
