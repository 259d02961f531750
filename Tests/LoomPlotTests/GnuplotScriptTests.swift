import Foundation
import Testing

@testable import LoomPlot

@Test func sweepScriptHasOneDataBlockAndClausePerSeries() throws {
  let figure = try Figure.plot(sweepRows, x: "dim", y: ["hr20"], by: "model", title: "HR@20 by size")
  let script = GnuplotScript.make(figure, output: .png)
  #expect(
    script == """
      set terminal pngcairo size 800,500 noenhanced
      set output
      set encoding utf8
      set title 'HR@20 by size'
      set xlabel 'dim'
      set ylabel 'hr20'
      set xtics ('10' 10, '20' 20)
      set xrange [9.5:20.5]
      set grid
      set key outside right top
      $series1 << EOD
      10 0.125
      20 0.25
      EOD
      $series2 << EOD
      10 0.1
      20 0.2
      EOD
      plot $series1 using 1:2 with linespoints title 'MIN' axes x1y1, \\
           $series2 using 1:2 with linespoints title 'SASRec' axes x1y1

      """)
}

@Test func secondAxisGetsItsOwnTicsAndLabel() throws {
  let history: [[String: Double]] = [["loss": 4.5, "ndcg@10": 0.0625], ["loss": 4, "ndcg@10": 0.125]]
  let figure = try Figure.plot(history, y: ["loss", "ndcg@10"], size: PlotSize(width: 300, height: 200))
  let lines = GnuplotScript.make(figure, output: .pdf).split(separator: "\n").map(String.init)
  #expect(lines[0] == "set terminal pdfcairo size 3in,2in noenhanced")
  #expect(lines.contains("set ytics nomirror"))
  #expect(lines.contains("set y2tics"))
  #expect(lines.contains("set y2label 'ndcg@10'"))
  #expect(lines.contains("$series2 << EOD"))
  #expect(lines.contains("2 0.125"))
  #expect(lines.contains("     $series2 using 1:2 with linespoints title 'ndcg@10' axes x1y2"))
}

@Test func barsScriptWritesGapsAndErrorColumns() throws {
  let figure = try Figure.bars(ablationRows, x: "data", y: ["ndcg"], by: "model", error: ["std"])
  let script = GnuplotScript.make(figure, output: .svg)
  let lines = script.split(separator: "\n").map(String.init)
  #expect(lines[0] == "set terminal svg size 800,500 noenhanced background rgb 'white'")
  #expect(lines.contains("set style histogram errorbars gap 1 lw 1"))
  #expect(lines.contains("set yrange [0:*]"))
  let block = lines.firstIndex(of: "$bars << EOD")!
  #expect(
    Array(lines[block...(block + 3)]) == [
      "$bars << EOD",
      "\"ml-100k\" 0.5 0.125 0.375 0.25",
      "\"clothing\" 0.25 0.0625 ? ?",
      "EOD",
    ])
  #expect(lines.contains("plot $bars using 2:3:xtic(1) title 'MIN', \\"))
  #expect(lines.contains("     $bars using 4:5:xtic(1) title 'MIN_i'"))
}

@Test func crowdedBarGroupNamesAreTurned() throws {
  let names = ["MIN", "MIN_i", "MIN_s", "MIN_v", "MIN_t", "MIN_add", "MIN_dot", "SASRec"]
  let rows: [TableRow] = names.map { ["model": .text($0), "ndcg": 0.1] }
  let crowded = GnuplotScript.make(try Figure.bars(rows, x: "model", y: ["ndcg"]), output: .svg)
  let lines = crowded.split(separator: "\n").map(String.init)
  // Before the plot command, so it applies to it.
  #expect(lines[lines.count - 2] == "set xtics rotate by 30 right")
  #expect(lines.last!.hasPrefix("plot $bars"))
  let few = GnuplotScript.make(try Figure.bars(Array(rows.prefix(3)), x: "model", y: ["ndcg"]), output: .svg)
  #expect(!few.contains("rotate"))
  // The text terminal cannot turn text.
  let text = GnuplotScript.make(try Figure.bars(rows, x: "model", y: ["ndcg"]), output: .text(columns: 80, lines: 24))
  #expect(!text.contains("rotate"))
  #expect(GnuplotScript.groupLabelsCrowd(Array(names.prefix(7)), width: 800))
  #expect(!GnuplotScript.groupLabelsCrowd(Array(names.prefix(7)), width: 1400))
}

@Test func heatmapTextScriptShadesCellsWithCharacters() throws {
  let figure = try Figure.heatmap(
    [[1, 0, .nan], [0.5, 0.25, 0.75]], rowLabels: ["a", "it's"], columnLabels: ["x", "y", "z"])
  let lines = GnuplotScript.make(figure, output: .text(columns: 60, lines: 20))
    .split(separator: "\n").map(String.init)
  #expect(lines[0] == "set terminal dumb size 60,20 nofeed noenhanced")
  #expect(lines.contains("1 0 NaN"))
  #expect(lines.contains("set xrange [-0.5:2.5]"))
  #expect(lines.contains("set yrange [1.5:-0.5]"))
  #expect(lines.contains("set xtics ('x' 0, 'y' 1, 'z' 2)"))
  #expect(lines.contains("set ytics ('a' 0, 'it''s' 1)"))
  #expect(lines.contains("low = 0"))
  #expect(lines.contains("high = 1"))
  #expect(lines.last == "plot $matrix matrix using 1:2:(shade($3)) with labels notitle")

  let image = GnuplotScript.make(figure, output: .png)
  #expect(image.hasSuffix("plot $matrix matrix with image notitle\n"))
}

@Test func textHeatmapColumnLabelsShareTheWidth() throws {
  let titles = ["Star Wars (1977)", "Toy Story (1995)", "Fargo (1996)", "Heat (1995)"]
  let figure = try Figure.heatmap(
    Array(repeating: [0, 1, 0, 1], count: 4), rowLabels: ["a", "b", "c", "d"], columnLabels: titles)
  guard case .heatmap(let map) = figure.kind else { return }
  // 60 columns - 1 (widest row label) - 6 (borders) = 53, shared by 4: 13 each, 12 for text.
  #expect(GnuplotScript.textColumnLabels(map, columns: 60) == ["Star Wars (1", "Toy Story (1", "Fargo (1996)", "Heat (1995)"])
  let script = GnuplotScript.make(figure, output: .png)
  #expect(
    script.contains(
      "set xtics ('Star Wars (1977)' 0, 'Toy Story (1995)' 1, 'Fargo (1996)' 2, 'Heat (1995)' 3) rotate by 45 right\n"))
}

@Test func textIsQuotedSoGnuplotReadsItLiterally() {
  #expect(GnuplotScript.quoted("it's hr@10") == "'it''s hr@10'")
  #expect(GnuplotScript.quoted("two\nlines") == "'two lines'")
  #expect(GnuplotScript.dataLabel("say \"hi\" #1") == "\"say 'hi' #1\"")
  #expect(GnuplotScript.number(50) == "50")
  #expect(GnuplotScript.number(0.1) == "0.1")
  #expect(GnuplotScript.number(1e-5) == "1e-05")
  #expect(GnuplotScript.number(.nan) == "NaN")
}

@Test func outputFormatFollowsTheExtension() throws {
  #expect(try PlotOutput(path: "out/curves.PNG") == .png)
  #expect(try PlotOutput(path: "a.svg") == .svg)
  #expect(try PlotOutput(path: "a.pdf") == .pdf)
  #expect(throws: PlotError.unknownExtension(path: "a.jpg")) { try PlotOutput(path: "a.jpg") }
  #expect(throws: PlotError.unknownExtension(path: "plot")) { try PlotOutput(path: "plot") }
}

@Test func aSweepOverPowersOfTwoGetsALogAxisWithTicsAtItsSizes() throws {
  let rows: [TableRow] = [16, 32, 64, 128].map { ["model": "MIN", "dim": .number(Double($0)), "ndcg10": 0.1] }
  let figure = try Figure.plot(rows, x: "dim", y: ["ndcg10"], by: "model", logX: true)
  let lines = GnuplotScript.make(figure, output: .png).split(separator: "\n").map(String.init)
  #expect(lines.contains("set logscale x 2"))
  #expect(lines.contains("set xtics ('16' 16, '32' 32, '64' 64, '128' 128)"))
  // A margin of a twentieth of the span in log2 units either side: 16 / 2^0.15, 128 * 2^0.15.
  let range = try #require(lines.first { $0.hasPrefix("set xrange [") })
  let bounds = range.dropFirst("set xrange [".count).dropLast().split(separator: ":").compactMap { Double($0) }
  #expect(bounds.count == 2 && abs(bounds[0] - 16 / pow(2, 0.15)) < 1e-3 && abs(bounds[1] - 128 * pow(2, 0.15)) < 1e-3)
  // Without logx the axis is linear, and the tics are still the sizes.
  let linear = GnuplotScript.make(try Figure.plot(rows, x: "dim", y: ["ndcg10"], by: "model"), output: .png)
  #expect(!linear.contains("logscale"))
  #expect(linear.contains("set xtics ('16' 16, '32' 32, '64' 64, '128' 128)"))
}

@Test func aLogAxisRefusesZeroAndLongHistoriesKeepGnuplotsTics() throws {
  let rows: [TableRow] = [0, 8].map { ["l2": .number(Double($0)), "hr20": 0.2] }
  #expect(
    throws: PlotError.badShape(
      figure: "plot", reason: "a logarithmic x axis needs positive x values, and l2 has 0; drop logx: true")
  ) {
    try Figure.plot(rows, x: "l2", y: ["hr20"], logX: true)
  }
  let history: [[String: Double]] = (1...30).map { ["epoch": Double($0), "loss": 1 / Double($0)] }
  let figure = try Figure.plot(history, x: "epoch", y: ["loss"])
  #expect(figure.xTics == nil)
  #expect(!GnuplotScript.make(figure, output: .png).contains("set xtics"))
}

@Test func sweepLinesCarryErrorBarsFromAStdColumn() throws {
  let rows: [TableRow] = [
    ["model": "MIN", "dim": 16, "ndcg20": 0.109, "ndcg20_std": 0.0132],
    ["model": "MIN", "dim": 32, "ndcg20": 0.1177, "ndcg20_std": 0.008],
    ["model": "SASRec", "dim": 16, "ndcg20": 0.1049, "ndcg20_std": .number(.nan)],
    ["model": "SASRec", "dim": 32, "ndcg20": 0.1226],
  ]
  let figure = try Figure.plot(rows, x: "dim", y: ["ndcg20"], by: "model", error: ["ndcg20_std"])
  guard case .lines(let series) = figure.kind else {
    Issue.record("expected lines")
    return
  }
  #expect(series[0].points.map(\.error) == [0.0132, 0.008])
  // A missing or NaN error is no bar, and a series with no bar at all is drawn as plain lines.
  #expect(series[1].points.map(\.error) == [nil, nil])
  let lines = GnuplotScript.make(figure, output: .png).split(separator: "\n").map(String.init)
  #expect(lines.contains("16 0.109 0.0132"))
  #expect(lines.contains("plot $series1 using 1:2:3 with yerrorlines title 'MIN' axes x1y1, \\"))
  #expect(lines.contains("     $series2 using 1:2 with linespoints title 'SASRec' axes x1y1"))
  #expect(lines.contains("16 0.1049"))

  #expect(throws: PlotError.badShape(figure: "plot", reason: "give one error column, or one per y column: 2 y, 3 error")) {
    try Figure.plot(rows, x: "dim", y: ["ndcg20", "dim"], error: ["a", "b", "c"])
  }
}
