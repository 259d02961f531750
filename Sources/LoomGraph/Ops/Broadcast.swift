import LoomTensor

/// Elementwise add, subtract or multiply, broadcasting the smaller operand over leading axes:
/// its shape must equal the trailing axes of the other (`[B, L, D] + [L, D]`, `[B, L, D] ⊙ [D]`).
/// The output has the larger shape; the smaller operand's gradient sums over the repeats.
public struct Elementwise: Op {
  public enum Kind: String, Sendable { case add, sub, mul }
  public var kind: Kind
  public init(_ kind: Kind) { self.kind = kind }
  public var name: String { kind.rawValue }

  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    if s[0].hasSuffix(s[1]) { return s[0] }
    if s[1].hasSuffix(s[0]) { return s[1] }
    throw ShapeError(name, s, "shapes do not broadcast: one must end with the other")
  }

  public func forward(_ io: OpIO, _ run: RunState) {
    forEachRun(io) { start, count, oa, ob in
      let (pa, pb, py) = (io.inputs[0] + oa, io.inputs[1] + ob, io.output + start)
      switch kind {
      case .add: for j in 0..<count { py[j] = pa[j] + pb[j] }
      case .sub: for j in 0..<count { py[j] = pa[j] - pb[j] }
      case .mul: for j in 0..<count { py[j] = pa[j] * pb[j] }
      }
    }
  }

  /// The operand as large as the output gets each of its gradient's values once, so it can
  /// store as a first writer; a broadcast operand sums over the repeats and keeps adding.
  public func overwritesGradient(of i: Int, inputs: [Shape]) -> Bool { inputs[i].count >= inputs[1 - i].count }
  /// A sum's operands (and a difference's first) as large as the output have the output's
  /// gradient exactly: where this op is their only consumer they share its buffer.
  public func passesGradientThrough(of i: Int, inputs: [Shape]) -> Bool {
    (kind == .add || (kind == .sub && i == 0)) && inputs[i].count >= inputs[1 - i].count
  }

  public func backward(_ io: OpIO, _ run: RunState) {
    let (storeA, storeB) = (io.overwrites[0], io.overwrites[1])
    forEachRun(io) { start, count, oa, ob in
      let g = io.outputGrad + start
      if let da = io.inputGrads[0] {
        switch kind {
        case .add, .sub: Kernels.accumulate(g, into: da + oa, count, overwrite: storeA)
        case .mul: Kernels.accumulateProduct(g, io.inputs[1] + ob, into: da + oa, count, overwrite: storeA)
        }
      }
      if let db = io.inputGrads[1] {
        let p = db + ob
        switch kind {
        case .add: Kernels.accumulate(g, into: p, count, overwrite: storeB)
        case .sub where storeB: for j in 0..<count { p[j] = 0 - g[j] }
        case .sub: for j in 0..<count { p[j] -= g[j] }
        case .mul: Kernels.accumulateProduct(g, io.inputs[0] + oa, into: p, count, overwrite: storeB)
        }
      }
    }
  }

  /// Calls `body(start, count, offsetA, offsetB)` for runs of output values in which both
  /// operands advance together. Equal shapes: ranges of values, split over threads (each value
  /// is one update). A broadcast: one run per repeat of the smaller operand, in order on one
  /// thread, since the smaller operand's gradient sums over the repeats.
  func forEachRun(_ io: OpIO, _ body: (_ start: Int, _ count: Int, _ offsetA: Int, _ offsetB: Int) -> Void) {
    let n = io.outputShape.count
    let (na, nb) = (io.inputShapes[0].count, io.inputShapes[1].count)
    if na == nb {
      Parallel.forEachRange(n, granule: 16, worthSplitting: n >= Parallel.minimumValues) { part in
        body(part.lowerBound, part.count, part.lowerBound, part.lowerBound)
      }
      return
    }
    let m = min(na, nb)
    var i = 0
    while i < n {
      body(i, m, na == n ? i : 0, nb == n ? i : 0)
      i += m
    }
  }
}

/// x [..., D] + bias [D]. The bias gradient is the column sum of dy.
public struct BiasAdd: Op {
  public init() {}
  public var name: String { "biasadd" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    try Self.checkBias(name, s)
    return s[0]
  }
  /// The bias rule of every op that adds one: b is `[D]` for x `[..., D]`.
  static func checkBias(_ op: String, _ s: [Shape]) throws(ShapeError) {
    guard s[1].rank == 1, s[1][0] == s[0].last else { throw ShapeError(op, s, "bias must be [\(s[0].last)]") }
  }
  public func forward(_ io: OpIO, _ run: RunState) {
    let d = io.outputShape.last
    let rows = io.outputShape.rows
    let (x, b, y) = (io.inputs[0], io.inputs[1], io.output)
    Parallel.forEachRows(rows, of: d) { part in
      for r in part {
        let (xr, yr) = (x + r * d, y + r * d)
        for j in 0..<d { yr[j] = xr[j] + b[j] }
      }
    }
  }
  /// dx = dy whole; the bias's gradient is a sum over rows and keeps adding.
  public func overwritesGradient(of i: Int, inputs: [Shape]) -> Bool { i == 0 }
  public func passesGradientThrough(of i: Int, inputs: [Shape]) -> Bool { i == 0 }
  public func backward(_ io: OpIO, _ run: RunState) {
    let d = io.outputShape.last
    let rows = io.outputShape.rows
    let dy = io.outputGrad
    // dx and db are independent: side by side on two threads (db's column sums keep their row
    // order; splitting them by columns read each row twice and gained nothing).
    Parallel.sideBySide(
      worthSplitting: rows * d >= Parallel.minimumValues,
      { if let dx = io.inputGrads[0] { Kernels.accumulate(dy, into: dx, rows * d, overwrite: io.overwrites[0]) } },
      { if let db = io.inputGrads[1] { Kernels.accumulateRows(dy, rows: rows, d, into: db) } })
  }
}

/// x [..., D] with each row scaled by s [...]: masks padding rows, weights words.
public struct ScaleRows: Op {
  public init() {}
  public var name: String { "scalerows" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    guard s[0].rank >= 1, s[1].count == s[0].rows else {
      throw ShapeError(name, s, "scale needs one value per row: \(Shape(Array(s[0].dims.dropLast()))) values")
    }
    return s[0]
  }
  public func forward(_ io: OpIO, _ run: RunState) {
    let d = io.outputShape.last
    let rows = io.outputShape.rows
    let (x, s, y) = (io.inputs[0], io.inputs[1], io.output)
    Parallel.forEachRows(rows, of: d) { part in
      for r in part {
        let (xr, yr, k) = (x + r * d, y + r * d, s[r])
        for j in 0..<d { yr[j] = xr[j] * k }
      }
    }
  }
  /// dx is whole (row r is dy's row r times s_r); ds is a dot product per row.
  public func overwritesGradient(of i: Int, inputs: [Shape]) -> Bool { i == 0 }
  public func backward(_ io: OpIO, _ run: RunState) {
    let d = io.outputShape.last
    let rows = io.outputShape.rows
    let (x, s, dy) = (io.inputs[0], io.inputs[1], io.outputGrad)
    let overwrite = io.overwrites[0]
    Parallel.forEachRows(rows, of: d) { part in
      for r in part {
        let g = dy + r * d
        if let dx = io.inputGrads[0] {
          let p = dx + r * d
          let k = s[r]
          if overwrite {
            for j in 0..<d { p[j] = g[j] * k }
          } else {
            for j in 0..<d { p[j] += g[j] * k }
          }
        }
        if let ds = io.inputGrads[1] {
          let xr = x + r * d
          var acc: Float = 0
          for j in 0..<d { acc += g[j] * xr[j] }
          ds[r] += acc
        }
      }
    }
  }
}
