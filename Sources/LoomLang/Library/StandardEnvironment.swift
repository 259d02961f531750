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
  /// Where a table with an HTML form goes in a notebook front end (a kernel's display_data with
  /// text/plain and text/html, in order with the cell's printed output). Nil: the text is printed.
  public var richDisplay: ((_ text: String, _ html: String) -> Void)?

  public init(terminal: Bool, gnuplot: Gnuplot = Gnuplot()) {
    self.terminal = terminal
    self.gnuplot = gnuplot
  }

  /// Shows a table: as a rich display where the front end has one, else as printed text.
  func show(_ text: String, html: String, write: (String) -> Void) {
    if let richDisplay { richDisplay(text, html) } else { write(text + "\n") }
  }

  func addImage(_ png: [UInt8], text: String) { if collectImages { images.append((png, text)) } }

  public func takeImages() -> [(png: [UInt8], text: String)] {
    defer { images = [] }
    return images
  }
}
