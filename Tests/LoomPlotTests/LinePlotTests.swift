import Testing

@testable import LoomPlot

/// A sweep table as MIN Fig. 6 builds it: model × embedding size → HR@20.
let sweepRows: [TableRow] = [
  ["model": "MIN", "dim": 20, "hr20": 0.25],
  ["model": "SASRec", "dim": 20, "hr20": 0.2],
  ["model": "MIN", "dim": 10, "hr20": 0.125],
  ["model": "SASRec", "dim": 10, "hr20": 0.1],
]

@Test func sweepGivesOneSeriesPerModelSortedByX() throws {
  let figure = try Figure.plot(sweepRows, x: "dim", y: ["hr20"], by: "model")
  guard case .lines(let series) = figure.kind else {
    Issue.record("expected lines, got \(figure.kind)")
    return
  }
  #expect(series.map(\.name) == ["MIN", "SASRec"])
  #expect(series[0].points == [.init(x: 10, y: 0.125), .init(x: 20, y: 0.25)])
  #expect(series[1].points == [.init(x: 10, y: 0.1), .init(x: 20, y: 0.2)])
  #expect(series.allSatisfy { $0.axis == .y1 })
  #expect(figure.xLabel == "dim")
  #expect(figure.yLabel == "hr20")
  #expect(figure.y2Label == nil)
}

@Test func historyWithTwoColumnsUsesTwoAxesAndEpochNumbers() throws {
  let history: [[String: Double]] = [
    ["loss": 5.5, "ndcg@10": 0.05],
    ["loss": 4.25, "ndcg@10": 0.0625],
    ["loss": 4.0, "ndcg@10": 0.07],
  ]
  let figure = try Figure.plot(history, y: ["loss", "ndcg@10"])
  guard case .lines(let series) = figure.kind else {
    Issue.record("expected lines")
    return
  }
  #expect(series.map(\.name) == ["loss", "ndcg@10"])
  #expect(series.map(\.axis) == [.y1, .y2])
  #expect(series[0].points.map(\.x) == [1, 2, 3])
  #expect(series[1].points.map(\.y) == [0.05, 0.0625, 0.07])
  #expect(figure.yLabel == "loss")
  #expect(figure.y2Label == "ndcg@10")

  let oneAxis = try Figure.plot(history, y: ["loss", "ndcg@10"], secondAxis: false)
  guard case .lines(let flat) = oneAxis.kind else { return }
  #expect(flat.map(\.axis) == [.y1, .y1])
  #expect(oneAxis.y2Label == nil)
}

@Test func byAndSeveralColumnsNameSeriesByBoth() throws {
  let rows: [TableRow] = [
    ["model": "MIN", "epoch": 1, "loss": 2, "hr": 0.5],
    ["model": "GRU4Rec", "epoch": 1, "loss": 3, "hr": 0.25],
  ]
  let figure = try Figure.plot(rows, x: "epoch", y: ["loss", "hr"], by: "model", secondAxis: false)
  guard case .lines(let series) = figure.kind else { return }
  #expect(series.map(\.name) == ["MIN loss", "MIN hr", "GRU4Rec loss", "GRU4Rec hr"])
}

@Test func nanAndInfiniteValuesAreSkipped() throws {
  let history: [[String: Double]] = [
    ["epoch": 1, "loss": 3],
    ["epoch": 2, "loss": .nan],
    ["epoch": 3, "loss": 2],
    ["epoch": 4, "loss": .infinity],
  ]
  let figure = try Figure.plot(history, x: "epoch", y: ["loss"])
  guard case .lines(let series) = figure.kind else { return }
  #expect(series[0].points == [.init(x: 1, y: 3), .init(x: 3, y: 2)])

  let allNaN: [[String: Double]] = [["loss": .nan], ["loss": .nan]]
  #expect(throws: PlotError.noData(figure: "plot", reason: "no row has finite numbers in loss")) {
    try Figure.plot(allNaN, y: ["loss"])
  }
}

@Test func unknownColumnNamesTheColumnsThatExist() {
  #expect(throws: PlotError.missingColumn(figure: "plot", column: "hr@20", available: ["dim", "hr20", "model"])) {
    try Figure.plot(sweepRows, x: "dim", y: ["hr@20"])
  }
  let error = PlotError.missingColumn(figure: "plot", column: "hr@20", available: ["dim", "hr20", "model"])
  #expect(error.description == "plot: no column 'hr@20' in the table; columns are: dim, hr20, model")
}

@Test func textWhereNumbersAreNeededIsAnError() {
  #expect(throws: PlotError.notANumber(figure: "plot", column: "model", row: 0, text: "MIN")) {
    try Figure.plot(sweepRows, x: "model", y: ["hr20"])
  }
  #expect(throws: PlotError.noData(figure: "plot", reason: "the table has no rows")) {
    try Figure.plot([TableRow](), y: ["loss"])
  }
}
