import LoomPlot

/// What the standard library's builtins need from their surroundings: whether output goes to a
/// terminal (progress bars, text plots), the gnuplot to run, and, for notebooks, the images that
/// plots produced during the current cell.
public final class StandardEnvironment {
  /// Draw progress bars and text versions of plots (true in a terminal REPL or script).
  public var terminal: Bool
  public var gnuplot: Gnuplot
  /// PNG images made since the last `takeImages()` (a notebook embeds them in the cell).
  public private(set) var images: [(png: [UInt8], text: String)] = []
  /// Collect PNG bytes of every plot (notebook runs).
  public var collectImages = false
  /// Where a one-line display that redraws in place goes (a Jupyter kernel's updating display):
  /// training progress shows there, "" clears it. Nil: no such display.
  public var liveLine: ((String) -> Void)?

  public init(terminal: Bool, gnuplot: Gnuplot = Gnuplot()) {
    self.terminal = terminal
    self.gnuplot = gnuplot
  }

  func addImage(_ png: [UInt8], text: String) { if collectImages { images.append((png, text)) } }

  public func takeImages() -> [(png: [UInt8], text: String)] {
    defer { images = [] }
    return images
  }
}
