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
      set grid
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
  #expect(Array(lines[block...(block + 3)]) == [
    "$bars << EOD",
    "\"ml-100k\" 0.5 0.125 0.375 0.25",
    "\"clothing\" 0.25 0.0625 ? ?",
    "EOD",
  ])
  #expect(lines.contains("plot $bars using 2:3:xtic(1) title 'MIN', \\"))
  #expect(lines.contains("     $bars using 4:5:xtic(1) title 'MIN_i'"))
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
  #expect(script.contains("set xtics ('Star Wars (1977)' 0, 'Toy Story (1995)' 1, 'Fargo (1996)' 2, 'Heat (1995)' 3) rotate by 45 right\n"))
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
