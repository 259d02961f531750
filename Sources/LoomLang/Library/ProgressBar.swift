import LoomRec

/// Renders training events: `\r`-redrawn bar on a terminal, one summary line per epoch otherwise.
/// Where the front end can redraw a display (a Jupyter notebook: `StandardEnvironment.liveLine`),
/// the bar goes there instead, redrawn in place, and is cleared when its epoch ends, so the cell
/// keeps only the epoch lines.
final class ProgressBar {
  let terminal: Bool
  let write: (String) -> Void
  let live: ((String) -> Void)?
  var lastDraw = 0.0

  init(terminal: Bool, write: @escaping (String) -> Void, live: ((String) -> Void)? = nil) {
    self.terminal = terminal
    self.write = write
    self.live = live
  }

  convenience init(_ environment: StandardEnvironment, write: @escaping (String) -> Void) {
    self.init(terminal: environment.terminal, write: write, live: environment.liveLine)
  }

  func show(_ event: TrainingEvent) {
    switch event {
    case .epochStarted: lastDraw = 0
    case .batchFinished(let epoch, let batch, let batches, let sequences, let loss, let seconds):
      guard terminal || live != nil, seconds - lastDraw > (terminal ? 0.1 : 0.5) || batch == batches else { return }
      lastDraw = seconds
      let width = 24
      let filled = width * batch / max(batches, 1)
      let rate = Double(sequences) / max(seconds, 1e-9)
      let left = seconds / Double(batch) * Double(batches - batch)
      let bar = String(
        format: "epoch %d [%@%@] %d/%d  %.0f seq/s  loss %.4f  %.0fs left", epoch,
        String(repeating: "█", count: filled), String(repeating: "·", count: width - filled),
        batch, batches, rate, loss, left)
      if terminal { write("\r\u{1B}[2K" + bar) } else { live?(bar) }
    case .epochFinished(let r, let improved):
      var line = String(format: "epoch %d  loss %.4f", r.epoch, r.losses.first?.value ?? .nan)
      if r.losses.count > 1 {
        line += " (" + r.losses.dropFirst().map { String(format: "%@ %.4f", $0.name, $0.value) }.joined(separator: ", ") + ")"
      }
      for (name, value) in r.validation.sorted(by: { $0.key < $1.key }) { line += String(format: "  valid %@ %.4f", name, value) }
      line += improved ? " *" : ""
      line += String(format: "  %.1fs  %.0f seq/s", r.seconds, Double(r.sequences) / max(r.seconds, 1e-9))
      live?("")
      write((terminal ? "\r\u{1B}[2K" : "") + line + "\n")
    case .note(let text):
      write((terminal ? "\r\u{1B}[2K" : "") + text + "\n")
    }
  }
}
