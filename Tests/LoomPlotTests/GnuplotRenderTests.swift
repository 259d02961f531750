import Foundation
import Testing

@testable import LoomPlot

/// Renders through the real gnuplot program; skipped, with the reason shown, where it is absent.
@Suite(.enabled(if: Gnuplot().isAvailable, "gnuplot is not installed: apt-get install gnuplot-nox"))
struct GnuplotRenderTests {
  let gnuplot = Gnuplot()

  @Test func pngHasTheAskedSize() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/sweep.png"
    let figure = try Figure.plot(
      sweepRows, x: "dim", y: ["hr20"], by: "model", size: PlotSize(width: 640, height: 400))
    let returned = try gnuplot.write(figure, to: path)
    let png = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(png == returned)
    let size = try #require(pngSize(png))
    #expect(size.width == 640)
    #expect(size.height == 400)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["sweep.png"])
  }

  @Test func svgAndPdfAreProduced() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let figure = try Figure.bars(ablationRows, x: "data", y: ["ndcg"], by: "model", error: ["std"], title: "ablation")
    try gnuplot.write(figure, to: directory + "/bars.svg")
    let svg = try String(contentsOfFile: directory + "/bars.svg", encoding: .utf8)
    #expect(svg.contains("<svg"))
    #expect(svg.contains("width=\"800\" height=\"500\""))
    #expect(svg.contains("MIN_i"))
    let pdf = try gnuplot.render(figure, as: .pdf)
    #expect(pdf.starts(with: Data("%PDF".utf8)))
  }

  @Test func textPlotShowsTitleAndSeriesNames() throws {
    let figure = try Figure.plot(sweepRows, x: "dim", y: ["hr20"], by: "model", title: "HR@20 sweep")
    let text = try gnuplot.text(figure, columns: 70, lines: 20)
    #expect(text.contains("HR@20 sweep"))
    #expect(text.contains("MIN"))
    #expect(text.contains("SASRec"))
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.allSatisfy { $0.count <= 70 && $0.last != " " })
    #expect(!text.contains("\u{0C}"))
    #expect(lines.first?.isEmpty == false)
  }

  @Test func textHeatmapShadesHighCellsDarker() throws {
    let figure = try Figure.heatmap(
      [[1, 0], [0, 1]], rowLabels: ["first", "second"], columnLabels: ["first", "second"], title: "attention")
    let text = try gnuplot.text(figure, columns: 50, lines: 14)
    #expect(text.contains("attention"))
    #expect(text.contains("second"))
    #expect(text.filter { $0 == "@" }.count == 2)
  }

  @Test func nanValuesStillGiveAnImage() throws {
    let history: [[String: Double]] = [["loss": 3], ["loss": .nan], ["loss": 2]]
    let png = try gnuplot.render(try Figure.plot(history, y: ["loss"]), as: .png)
    #expect(pngSize(png)?.width == 800)
    let map = try Figure.heatmap([[1, .nan], [0.5, 0.25]], size: PlotSize(width: 300, height: 300))
    #expect(pngSize(try gnuplot.render(map, as: .png))?.height == 300)
  }

  @Test func largeDataDoesNotBlockThePipes() throws {
    let rows = (0..<100_000).map { ["step": Double($0), "loss": 1 / Double($0 + 1)] }
    let figure = try Figure.plot(rows, x: "step", y: ["loss"], size: PlotSize(width: 200, height: 100))
    #expect(pngSize(try gnuplot.render(figure, as: .png))?.width == 200)
  }

  @Test func gnuplotErrorsCarryGnuplotsMessage() throws {
    #expect(throws: PlotError.gnuplotFailed(status: 1, message: "line 0: undefined variable: no_such_thing")) {
      try gnuplot.run(script: "set terminal dumb\nplot no_such_thing\n")
    }
    let padding = String(repeating: "# padding line that gnuplot never reads\n", count: 50_000)
    #expect(throws: PlotError.gnuplotFailed(status: 3, message: "")) {
      try gnuplot.run(script: "exit status 3\n" + padding)
    }
  }

  @Test func unknownExtensionWritesNothing() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let figure = try Figure.heatmap([[1]])
    #expect(throws: PlotError.unknownExtension(path: directory + "/map.jpg")) {
      try gnuplot.write(figure, to: directory + "/map.jpg")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    #expect(
      throws: PlotError.cannotWrite(path: directory + "/no/map.png", reason: "the directory '\(directory)/no' does not exist")
    ) {
      try gnuplot.write(figure, to: directory + "/no/map.png")
    }
  }
}

@Test func missingGnuplotSaysHowToInstallIt() throws {
  let absent = Gnuplot(executablePath: "/nonexistent/bin/gnuplot")
  #expect(!absent.isAvailable)
  let figure = try Figure.heatmap([[1]])
  #expect(throws: PlotError.gnuplotMissing(executable: "/nonexistent/bin/gnuplot")) {
    try absent.text(figure)
  }
  let message = PlotError.gnuplotMissing(executable: "/nonexistent/bin/gnuplot").description
  #expect(message.contains("apt-get install gnuplot-nox"))
}

/// Width and height from a PNG's IHDR chunk, which the format requires first: the 8-byte
/// signature, a 4-byte length (13), "IHDR", then width and height as big-endian UInt32.
func pngSize(_ data: Data) -> (width: Int, height: Int)? {
  let bytes = [UInt8](data.prefix(24))
  guard bytes.count == 24, Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
    Array(bytes[12..<16]) == Array("IHDR".utf8)
  else { return nil }
  func bigEndian(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
  return (bigEndian(16), bigEndian(20))
}

func temporaryDirectory() throws -> String {
  let path = NSTemporaryDirectory() + "loomplot-" + UUID().uuidString
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}
