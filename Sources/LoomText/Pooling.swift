/// Token vectors [L, D] of one sentence → its vector [D] (sentence-transformers' Pooling and
/// Normalize modules). The rows are exactly the sentence's tokens — no padding rows — so the
/// attention mask of the reference is already applied.
enum Pooling {
  static func pool(
    _ tokens: UnsafePointer<Float>, rows: Int, cols: Int, mode: SentencePipeline.Pooling, normalize: Bool,
    into out: UnsafeMutablePointer<Float>
  ) {
    switch mode {
    case .cls:
      out.update(from: tokens, count: cols)
    case .mean:
      // Σ_t h_t / L
      out.update(repeating: 0, count: cols)
      for r in 0..<rows {
        let row = tokens + r * cols
        for j in 0..<cols { out[j] += row[j] }
      }
      let scale = 1 / Float(max(rows, 1))
      for j in 0..<cols { out[j] *= scale }
    case .max:
      out.update(from: tokens, count: cols)
      for r in 1..<max(rows, 1) {
        let row = tokens + r * cols
        for j in 0..<cols { out[j] = row[j] > out[j] ? row[j] : out[j] }
      }
    }
    if normalize {
      // v / max(‖v‖₂, 1e-12), as torch.nn.functional.normalize.
      var squares: Float = 0
      for j in 0..<cols { squares += out[j] * out[j] }
      let scale = 1 / max(squares.squareRoot(), 1e-12)
      for j in 0..<cols { out[j] *= scale }
    }
  }
}
