import Foundation

/// A plot described as data: what to draw, never how. `GnuplotScript` turns it into a gnuplot
/// program and `Gnuplot` runs that program, so no drawing code lives in Loom itself.
///
/// Figures are built from plain Swift values (`Table` rows, `[[Double]]` matrices) by
/// `Figure.plot`, `Figure.bars` and `Figure.heatmap`; the language's `plot`, `bars` and
/// `heatmap` builtins convert their arguments to those values and call the builders.
public struct Figure: Sendable, Equatable {
  /// The three shapes a researcher asks for: training curves and sweeps, grouped bars for
  /// ablations (MIN Fig. 4), and matrices such as attention maps (MIN Fig. 7).
  public enum Kind: Sendable, Equatable {
    case lines([Series])
    case bars(BarChart)
    case heatmap(Heatmap)
  }

  public var kind: Kind
  public var title: String?
  public var xLabel: String?
  public var yLabel: String?
  /// Label of the right-hand axis; only drawn when some series uses `.y2`.
  public var y2Label: String?
  /// Size of image output. PNG and SVG use it in pixels; PDF in inches at 100 pixels per inch.
  public var size: PlotSize
  /// A base-2 logarithmic x axis: embedding sizes 16, 32, 64, 128 (MIN Fig. 6) fall at equal
  /// steps instead of crowding at the left.
  public var logX: Bool
  /// Tic marks at exactly these x values (a sweep's sizes) instead of gnuplot's round numbers.
  public var xTics: [Double]?

  public init(
    kind: Kind, title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
    y2Label: String? = nil, size: PlotSize = .standard, logX: Bool = false, xTics: [Double]? = nil
  ) {
    self.kind = kind
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.y2Label = y2Label
    self.size = size
    self.logX = logX
    self.xTics = xTics
  }
}

/// Width and height of an image, in pixels.
public struct PlotSize: Sendable, Equatable {
  public var width: Int
  public var height: Int

  public init(width: Int, height: Int) {
    self.width = width
    self.height = height
  }

  /// 800 × 500: wide enough for a key beside the curves, small enough for a notebook cell.
  public static let standard = PlotSize(width: 800, height: 500)
}

/// Which vertical axis a series is measured against. Two y columns of different scale
/// (a loss near 5 and an NDCG near 0.1) are readable only on two axes.
public enum YAxis: Sendable, Equatable {
  case y1
  case y2
}

/// One curve: points sorted by x, drawn as lines with point markers, and with a vertical
/// error bar (y ± error) at every point when any point has an error (a sweep's standard
/// deviation over runs).
public struct Series: Sendable, Equatable {
  public var name: String
  public var points: [Point]
  public var axis: YAxis

  public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double
    /// Half the height of the point's error bar; nil draws none.
    public var error: Double?

    public init(x: Double, y: Double, error: Double? = nil) {
      self.x = x
      self.y = y
      self.error = error
    }
  }

  public var hasErrors: Bool { points.contains { $0.error != nil } }

  public init(name: String, points: [Point], axis: YAxis = .y1) {
    self.name = name
    self.points = points
    self.axis = axis
  }
}

/// Grouped bars: one cluster per group (along x), one bar per series inside each cluster.
/// `values[s][g]` is series s in group g; nil leaves a gap. `errors`, when present, has the
/// same shape and draws ± error bars (a standard deviation over runs, as `compare` reports).
public struct BarChart: Sendable, Equatable {
  public var groups: [String]
  public var seriesNames: [String]
  public var values: [[Double?]]
  public var errors: [[Double?]]?

  public init(groups: [String], seriesNames: [String], values: [[Double?]], errors: [[Double?]]? = nil) {
    self.groups = groups
    self.seriesNames = seriesNames
    self.values = values
    self.errors = errors
  }
}

/// A matrix drawn as coloured cells, row 0 at the top (the reading order of an attention map:
/// query positions down, key positions across). NaN cells are left blank.
public struct Heatmap: Sendable, Equatable {
  public var values: [[Double]]
  public var rowLabels: [String]
  public var columnLabels: [String]

  public init(values: [[Double]], rowLabels: [String], columnLabels: [String]) {
    self.values = values
    self.rowLabels = rowLabels
    self.columnLabels = columnLabels
  }

  public var rowCount: Int { values.count }
  public var columnCount: Int { values.first?.count ?? 0 }
}
