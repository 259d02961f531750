import LoomTensor

/// Row gather: `table [N, D]` at Int32 `indices [S...]` gives `[S..., D]`; the gradient is a
/// scatter-add into the table's rows. An embedding lookup, and also how item-level values reach
/// a batch's sequences (`seq`) and how in-batch rows are shuffled.
///
/// Indices equal to `paddingIndex` give zero rows and no gradient; out-of-range indices also
/// give zero rows (callers validate ids before feeding).
public struct Gather: Op {
  public var paddingIndex: Int32?
  public init(paddingIndex: Int32? = nil) { self.paddingIndex = paddingIndex }
  public var name: String { "gather" }
  public var detail: String { paddingIndex.map { "padding=\($0)" } ?? "" }
  public var integerInputs: [Int] { [1] }

  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    guard s[0].rank == 2 else { throw ShapeError(name, s, "the table must be [rows, features]") }
    return Shape(s[1].dims + [s[0][1]])
  }

  public func forward(_ io: OpIO, _ run: RunState) {
    let (rows, d) = (io.inputShapes[0][0], io.inputShapes[0][1])
    let idx = io.indices(1)
    Parallel.forEachRows(io.inputShapes[1].count, of: d) { part in
      for i in part {
        let k = Int(idx[i])
        let dst = io.output + i * d
        if k < 0 || k >= rows || idx[i] == paddingIndex {
          dst.update(repeating: 0, count: d)
        } else {
          dst.update(from: io.inputs[0] + k * d, count: d)
        }
      }
    }
  }

  public func backward(_ io: OpIO, _ run: RunState) {
    guard let dt = io.inputGrads[0] else { return }
    let (rows, d) = (io.inputShapes[0][0], io.inputShapes[0][1])
    let idx = io.indices(1)
    for i in 0..<io.inputShapes[1].count {
      let k = Int(idx[i])
      if k < 0 || k >= rows || idx[i] == paddingIndex { continue }
      Kernels.accumulate(io.outputGrad + i * d, into: dt + k * d, d)
    }
  }
}
