import Testing

@testable import LoomPlot

@Test func longTitlesAreShortenedToTheLimit() {
  let title = "Star Wars: Episode V - The Empire Strikes Back (1980)"
  #expect(Figure.shortened(title, limit: 12) == "Star Wars:…")
  #expect(Figure.shortened(title, limit: 13) == "Star Wars: E…")
  #expect(Figure.shortened("Toy Story (1995)", limit: 24) == "Toy Story (1995)")
  #expect(Figure.shortened("two\nlines   here", limit: 24) == "two lines here")
}

@Test func heatmapKeepsTheMatrixAndShortensLabels() throws {
  let figure = try Figure.heatmap(
    [[1, 0], [0.25, 0.75]], rowLabels: ["Toy Story (1995)", "GoldenEye (1995)"],
    columnLabels: ["Toy Story (1995)", "GoldenEye (1995)"], labelLimit: 10, title: "attention")
  guard case .heatmap(let map) = figure.kind else {
    Issue.record("expected heatmap")
    return
  }
  #expect(map.values == [[1, 0], [0.25, 0.75]])
  #expect(map.rowLabels == ["Toy Story…", "GoldenEye…"])
  #expect(map.rowCount == 2 && map.columnCount == 2)
}

@Test func heatmapRefusesRaggedOrMislabelledMatrices() {
  #expect(
    throws: PlotError.badShape(
      figure: "heatmap", reason: "row 1 has 1 values but row 0 has 2; rows must have equal length")
  ) {
    try Figure.heatmap([[1, 2], [3]])
  }
  #expect(throws: PlotError.badShape(figure: "heatmap", reason: "3 column labels for 2 columns")) {
    try Figure.heatmap([[1, 2]], columnLabels: ["a", "b", "c"])
  }
  #expect(throws: PlotError.noData(figure: "heatmap", reason: "the matrix is empty")) {
    try Figure.heatmap([])
  }
  #expect(throws: PlotError.noData(figure: "heatmap", reason: "no cell holds a finite number")) {
    try Figure.heatmap([[.nan]])
  }
}
