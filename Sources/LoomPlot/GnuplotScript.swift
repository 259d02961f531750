import Foundation

/// Turns a `Figure` into a complete gnuplot program that carries its own data in inline
/// blocks (`$name << EOD … EOD`), so gnuplot reads everything from one pipe and no temporary
/// data files are needed. The output goes to gnuplot's standard output (`set output` with no
/// name); `Gnuplot` collects it.
///
/// Text reaches gnuplot in single quotes, where no escape is processed and a quote is written
/// twice; labels inside data blocks are double-quoted with their double quotes turned single.
public enum GnuplotScript {
  public static func make(_ figure: Figure, output: PlotOutput) -> String {
    var lines = [
      output.terminalLine(size: figure.size),
      "set output",
      "set encoding utf8",
    ]
    if let title = figure.title { lines.append("set title \(quoted(title))") }
    if let label = figure.xLabel { lines.append("set xlabel \(quoted(label))") }
    if let label = figure.yLabel { lines.append("set ylabel \(quoted(label))") }

    switch figure.kind {
    case .lines(let series):
      lines += xAxisLines(figure)
      lines += linesBody(series, y2Label: figure.y2Label)
    case .bars(let chart):
      // The text terminal cannot turn text.
      lines += barsBody(chart, turnGroupNames: !output.isText && groupLabelsCrowd(chart.groups, width: figure.size.width))
    case .heatmap(let map):
      lines += heatmapBody(map, output: output)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A logarithmic x axis and tics at a sweep's own x values.
  static func xAxisLines(_ figure: Figure) -> [String] {
    var lines: [String] = []
    if figure.logX { lines.append("set logscale x 2") }
    if let tics = figure.xTics, !tics.isEmpty {
      lines.append("set xtics (" + tics.map { "\(quoted(number($0))) \(number($0))" }.joined(separator: ", ") + ")")
      // Points on the first and last tic would sit on the frame: leave a twentieth of the
      // span either side (of the logarithm's span on a log axis; gnuplot's offsets do not
      // apply to log axes).
      if tics.count > 1, let low = tics.first, let high = tics.last {
        let (from, to) =
          figure.logX
          ? (low * pow(high / low, -0.05), high * pow(high / low, 0.05))
          : (low - (high - low) * 0.05, high + (high - low) * 0.05)
        lines.append("set xrange [\(number(from)):\(number(to))]")
      }
    }
    return lines
  }

  /// One data block per series (`x y` per line, `x y error` with error bars) and one `plot`
  /// clause per block; a series on `.y2` is drawn against the right-hand axis, which then gets
  /// its own tics and label. A point without an error in a series with error bars gets a bar of
  /// height 0.
  static func linesBody(_ series: [Series], y2Label: String?) -> [String] {
    // The key beside the plot, where it cannot hide a curve's end (PlotSize.standard leaves room).
    var lines = ["set grid", "set key outside right top"]
    if series.contains(where: { $0.axis == .y2 }) {
      lines += ["set ytics nomirror", "set y2tics"]
      if let y2Label { lines.append("set y2label \(quoted(y2Label))") }
    }
    var clauses: [String] = []
    for (index, one) in series.enumerated() {
      let block = "$series\(index + 1)"
      lines.append("\(block) << EOD")
      let withErrors = one.hasErrors
      lines += one.points.map {
        "\(number($0.x)) \(number($0.y))" + (withErrors ? " \(number($0.error ?? 0))" : "")
      }
      lines.append("EOD")
      let axes = one.axis == .y2 ? "x1y2" : "x1y1"
      let style = withErrors ? "using 1:2:3 with yerrorlines" : "using 1:2 with linespoints"
      clauses.append("\(block) \(style) title \(quoted(one.name)) axes \(axes)")
    }
    lines.append("plot " + clauses.joined(separator: ", \\\n     "))
    return lines
  }

  /// gnuplot's clustered histogram: one data line per group, `"group" v1 [e1] v2 [e2] …`,
  /// and one `plot` clause per series reading its column(s). Gaps are written as `?`, the
  /// declared missing-value marker. `turnGroupNames` writes the group names at 30°
  /// (`groupLabelsCrowd` decides).
  static func barsBody(_ chart: BarChart, turnGroupNames: Bool = false) -> [String] {
    let withErrors = chart.errors != nil
    var lines = [
      "set style data histograms",
      withErrors ? "set style histogram errorbars gap 1 lw 1" : "set style histogram clustered gap 1",
      "set style fill solid 0.8 border -1",
      "set datafile missing '?'",
      "set grid ytics",
      "set key outside right top",
    ]
    let finite = chart.values.flatMap { $0.compactMap { $0 } }
    if finite.allSatisfy({ $0 >= 0 }) { lines.append("set yrange [0:*]") }

    lines.append("$bars << EOD")
    for (g, group) in chart.groups.enumerated() {
      var fields = [dataLabel(group)]
      for s in chart.seriesNames.indices {
        let value = chart.values[s][g]
        fields.append(value.map(number) ?? "?")
        if let errors = chart.errors {
          fields.append(value == nil ? "?" : number(errors[s][g] ?? 0))
        }
      }
      lines.append(fields.joined(separator: " "))
    }
    lines.append("EOD")

    if turnGroupNames { lines.append("set xtics rotate by 30 right") }
    let width = withErrors ? 2 : 1
    let clauses = chart.seriesNames.enumerated().map { s, name in
      let first = 2 + s * width
      let columns = withErrors ? "\(first):\(first + 1)" : "\(first)"
      return "$bars using \(columns):xtic(1) title \(quoted(name))"
    }
    lines.append("plot " + clauses.joined(separator: ", \\\n     "))
    return lines
  }

  /// Whether the bar groups' names, written level, would run into each other: a name gets a
  /// group's share of the plot's width, which is the image's less the key beside it and the
  /// margins (about 250 pixels at the standard size), and takes about 11 pixels a character
  /// (gnuplot's default font, measured on a PNG): "MIN_add" and "MIN_dot" side by side among
  /// seven groups touched.
  static func groupLabelsCrowd(_ groups: [String], width: Int) -> Bool {
    guard let longest = groups.map(\.count).max() else { return false }
    let share = Double(max(width - 250, 100)) / Double(groups.count)
    return Double(longest) * 11 > share * 0.9
  }

  /// The matrix as one data block read with `matrix`, row 0 at the top (reversed y range).
  /// Images are drawn `with image` and a viridis palette; on the text terminal, which cannot
  /// draw images, each cell becomes a character of the ramp " .:-=+*#%@" from low to high.
  static func heatmapBody(_ map: Heatmap, output: PlotOutput) -> [String] {
    var lines = ["$matrix << EOD"]
    lines += map.values.map { row in row.map(number).joined(separator: " ") }
    lines.append("EOD")
    lines.append("set xrange [-0.5:\(number(Double(map.columnCount) - 0.5))]")
    lines.append("set yrange [\(number(Double(map.rowCount) - 0.5)):-0.5]")
    lines.append("set tics scale 0")
    if !map.columnLabels.isEmpty {
      if case .text(let columns, _) = output {
        let labels = textColumnLabels(map, columns: columns)
        lines.append("set xtics (\(ticList(labels)))")
      } else {
        let rotate = map.columnLabels.allSatisfy({ $0.count <= 3 }) ? "" : " rotate by 45 right"
        lines.append("set xtics (\(ticList(map.columnLabels)))\(rotate)")
      }
    }
    if !map.rowLabels.isEmpty {
      lines.append("set ytics (\(ticList(map.rowLabels)))")
    }
    if output.isText {
      let finite = map.values.flatMap { $0.filter(\.isFinite) }
      let low = finite.min() ?? 0
      let high = finite.max() ?? 1
      lines += [
        "low = \(number(low))",
        "high = \(number(high > low ? high : low + 1))",
        "ramp = ' .:-=+*#%@'",
        "level(v) = 1 + int(9.999 * (v - low) / (high - low))",
        "shade(v) = substr(ramp, level(v), level(v))",
        "plot $matrix matrix using 1:2:(shade($3)) with labels notitle",
      ]
    } else {
      lines += [
        "set palette defined (0 '#440154', 0.25 '#3b528b', 0.5 '#21918c', 0.75 '#5ec962', 1 '#fde725')",
        "plot $matrix matrix with image notitle",
      ]
    }
    return lines
  }

  /// Column labels short enough to sit side by side on a text terminal, which cannot rotate
  /// them: the width left of the row labels and borders, shared among the columns.
  static func textColumnLabels(_ map: Heatmap, columns: Int) -> [String] {
    let rowLabelWidth = map.rowLabels.map(\.count).max() ?? 2
    let plotWidth = columns - rowLabelWidth - 6
    let share = max(plotWidth / max(map.columnCount, 1) - 1, 1)
    return map.columnLabels.map { $0.count <= share ? $0 : String($0.prefix(share)) }
  }

  /// `'a' 0, 'b' 1, …`: explicit tic labels at cell positions.
  static func ticList(_ labels: [String]) -> String {
    labels.enumerated().map { "\(quoted($1)) \($0)" }.joined(separator: ", ")
  }

  /// A gnuplot single-quoted string on one line.
  public static func quoted(_ text: String) -> String {
    let oneLine = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    return "'" + oneLine.replacingOccurrences(of: "'", with: "''") + "'"
  }

  /// A label inside a data block: double-quoted (so spaces and '#' stay in it), on one line.
  static func dataLabel(_ text: String) -> String {
    let clean = text.replacingOccurrences(of: "\"", with: "'")
      .replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    return "\"" + clean + "\""
  }

  /// Numbers as gnuplot reads them: whole numbers without ".0", others in Swift's shortest
  /// round-trip form (0.1, 1e-05); NaN and infinities as `NaN`, which gnuplot skips.
  static func number(_ value: Double) -> String {
    guard value.isFinite else { return "NaN" }
    return TableValue.number(value).label
  }
}
