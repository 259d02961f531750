import Testing

@testable import LoomPlot

/// An ablation table as `compare` reports it: mean and standard deviation per model and data set.
let ablationRows: [TableRow] = [
  ["data": "ml-100k", "model": "MIN", "ndcg": 0.5, "std": 0.125],
  ["data": "ml-100k", "model": "MIN_i", "ndcg": 0.375, "std": 0.25],
  ["data": "clothing", "model": "MIN", "ndcg": 0.25, "std": 0.0625],
]

@Test func barsByColumnMakeOneSeriesPerValue() throws {
  let figure = try Figure.bars(ablationRows, x: "data", y: ["ndcg"], by: "model", error: ["std"])
  guard case .bars(let chart) = figure.kind else {
    Issue.record("expected bars")
    return
  }
  #expect(chart.groups == ["ml-100k", "clothing"])
  #expect(chart.seriesNames == ["MIN", "MIN_i"])
  #expect(chart.values == [[0.5, 0.25], [0.375, nil]])
  #expect(chart.errors == [[0.125, 0.0625], [0.25, nil]])
  #expect(figure.yLabel == "ndcg")
}

@Test func barsWithoutByMakeOneSeriesPerColumn() throws {
  let rows: [TableRow] = [
    ["model": "MIN", "hr@10": 0.75, "ndcg@10": 0.5],
    ["model": "SASRec", "hr@10": 0.625, "ndcg@10": .number(.nan)],
  ]
  let figure = try Figure.bars(rows, x: "model", y: ["hr@10", "ndcg@10"])
  guard case .bars(let chart) = figure.kind else { return }
  #expect(chart.groups == ["MIN", "SASRec"])
  #expect(chart.seriesNames == ["hr@10", "ndcg@10"])
  #expect(chart.values == [[0.75, 0.625], [0.5, nil]])
  #expect(chart.errors == nil)
  #expect(figure.yLabel == nil)
}

@Test func barsRefuseContradictoryArguments() {
  #expect(throws: PlotError.badShape(figure: "bars", reason: "with by: give one y column, not 2 (a, b)")) {
    try Figure.bars(ablationRows, x: "data", y: ["a", "b"], by: "model")
  }
  #expect(throws: PlotError.badShape(figure: "bars", reason: "give one error column per y column: 1 y, 2 error")) {
    try Figure.bars(ablationRows, x: "data", y: ["ndcg"], error: ["std", "std"])
  }
  #expect(
    throws: PlotError.badShape(
      figure: "bars", reason: "two rows for 'ml-100k' and 'ndcg'; keep one row per bar (average them first)")
  ) {
    try Figure.bars(ablationRows, x: "data", y: ["ndcg"])
  }
}
