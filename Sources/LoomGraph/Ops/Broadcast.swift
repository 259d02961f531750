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
    let n = io.outputShape.count
    let (na, nb) = (io.inputShapes[0].count, io.inputShapes[1].count)
    let (a, b, y) = (io.inputs[0], io.inputs[1], io.output)
    // Equal shapes split over threads in ranges of values, a broadcast in ranges of repeats.
    let m = na == nb ? 16 : min(na, nb)
    Parallel.forEachRows((n + m - 1) / m, of: m) { repeats in
      let i = repeats.lowerBound * m
      let count = min(n, repeats.upperBound * m) - i
      var done = 0
      while done < count {
        let at = i + done
        let (pa, pb, py) = (a + (na == n ? at : 0), b + (nb == n ? at : 0), y + at)
        let run = na == nb ? count : m
        switch kind {
        case .add: for j in 0..<run { py[j] = pa[j] + pb[j] }
        case .sub: for j in 0..<run { py[j] = pa[j] - pb[j] }
        case .mul: for j in 0..<run { py[j] = pa[j] * pb[j] }
        }
        done += run
      }
    }
  }

  public func backward(_ io: OpIO, _ run: RunState) {
    let n = io.outputShape.count
    let (na, nb) = (io.inputShapes[0].count, io.inputShapes[1].count)
    let (a, b, dy) = (io.inputs[0], io.inputs[1], io.outputGrad)
    if na == nb {
      // Equal shapes: every gradient value is one update, so ranges split over threads.
      Parallel.forEachRange(n, granule: 16, worthSplitting: n >= Parallel.minimumValues) { part in
        backward(io, part.lowerBound, part.count)
      }
      return
    }
    let m = min(na, nb)
    var i = 0
    while i < n {
      let (oa, ob) = (na == n ? i : 0, nb == n ? i : 0)
      let g = dy + i
      if let da = io.inputGrads[0] {
        let p = da + oa
        switch kind {
        case .add, .sub: for j in 0..<m { p[j] += g[j] }
        case .mul:
          let q = b + ob
          for j in 0..<m { p[j] += g[j] * q[j] }
        }
      }
      if let db = io.inputGrads[1] {
        let p = db + ob
        switch kind {
        case .add: for j in 0..<m { p[j] += g[j] }
        case .sub: for j in 0..<m { p[j] -= g[j] }
        case .mul:
          let q = a + oa
          for j in 0..<m { p[j] += g[j] * q[j] }
        }
      }
      i += m
    }
  }

  /// The backward of equal shapes over values `start..<start + count`.
  func backward(_ io: OpIO, _ start: Int, _ count: Int) {
    let (a, b, g) = (io.inputs[0] + start, io.inputs[1] + start, io.outputGrad + start)
    if let da = io.inputGrads[0] {
      let p = da + start
      switch kind {
      case .add, .sub: for j in 0..<count { p[j] += g[j] }
      case .mul: for j in 0..<count { p[j] += g[j] * b[j] }
      }
    }
    if let db = io.inputGrads[1] {
      let p = db + start
      switch kind {
      case .add: for j in 0..<count { p[j] += g[j] }
      case .sub: for j in 0..<count { p[j] -= g[j] }
      case .mul: for j in 0..<count { p[j] += g[j] * a[j] }
      }
    }
  }
}

/// x [..., D] + bias [D]. The bias gradient is the column sum of dy.
public struct BiasAdd: Op {
  public init() {}
  public var name: String { "biasadd" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    guard s[1].rank == 1, s[1][0] == s[0].last else {
      throw ShapeError(name, s, "bias must be [\(s[0].last)]")
    }
    return s[0]
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
  public func backward(_ io: OpIO, _ run: RunState) {
    let d = io.outputShape.last
    let rows = io.outputShape.rows
    let dy = io.outputGrad
    // dx and db are independent: side by side on two threads (db's column sums keep their row
    // order; splitting them by columns read each row twice and gained nothing).
    Parallel.forEachRange(2, worthSplitting: rows * d >= Parallel.minimumValues) { tasks in
      for task in tasks {
        if task == 0, let dx = io.inputGrads[0] { Kernels.accumulate(dy, into: dx, rows * d) }
        if task == 1, let db = io.inputGrads[1] { Kernels.accumulateRows(dy, rows: rows, d, into: db) }
      }
    }
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
  public func backward(_ io: OpIO, _ run: RunState) {
    let d = io.outputShape.last
    let rows = io.outputShape.rows
    let (x, s, dy) = (io.inputs[0], io.inputs[1], io.outputGrad)
    Parallel.forEachRows(rows, of: d) { part in
      for r in part {
        let g = dy + r * d
        if let dx = io.inputGrads[0] {
          let p = dx + r * d
          let k = s[r]
          for j in 0..<d { p[j] += g[j] * k }
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
