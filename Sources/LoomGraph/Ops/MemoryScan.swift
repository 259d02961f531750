import LoomTensor

/// The gated multi-modal memory of MFN4Rec (§3.3, eq. 9), fused over time:
///   u_t = g1_t ⊙ u_{t−1} + g2_t ⊙ c_t,   u_0 = 0,
/// where c_t = tanh(û_t) is computed before it. At padding steps (`mask` 0) u_t = u_{t−1}.
///
/// Inputs g1, g2, c `[B, T, M]`, mask `[B, T]`; output u `[B, T, M]`. Backward, with
/// du = dy_t + carry: dg1 += du ⊙ u_{t−1}, dg2 += du ⊙ c_t, dc += du ⊙ g2_t, carry = du ⊙ g1_t.
public struct MemoryScan: Op {
  public init() {}
  public var name: String { "memory scan" }
  public func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape {
    guard s[0].rank == 3, s[1] == s[0], s[2] == s[0], s[3] == [s[0][0], s[0][1]] else {
      throw ShapeError(name, s, "expected g1, g2, c of one shape [B, T, M] and mask [B, T]")
    }
    return s[0]
  }
  public func scratchCount(inputs: [Shape], output: Shape) -> Int { output[0] * output[2] }

  public func forward(_ io: OpIO, _ run: RunState) {
    let (batch, steps, m) = (io.outputShape[0], io.outputShape[1], io.outputShape[2])
    let (g1, g2, c, mask, u) = (io.inputs[0], io.inputs[1], io.inputs[2], io.inputs[3], io.output)
    for b in 0..<batch {
      for t in 0..<steps {
        let row = b * steps + t
        let (o, prev) = (row * m, (row - 1) * m)
        if mask[row] <= 0 {
          if t == 0 { (u + o).update(repeating: 0, count: m) } else { (u + o).update(from: u + prev, count: m) }
          continue
        }
        for j in 0..<m {
          let before: Float = t == 0 ? 0 : u[prev + j]
          u[o + j] = g1[o + j] * before + g2[o + j] * c[o + j]
        }
      }
    }
  }

  public func backward(_ io: OpIO, _ run: RunState) {
    let (batch, steps, m) = (io.outputShape[0], io.outputShape[1], io.outputShape[2])
    let (g1, g2, c, mask, u, dy) = (io.inputs[0], io.inputs[1], io.inputs[2], io.inputs[3], io.output, io.outputGrad)
    let carry = io.scratch
    for b in 0..<batch {
      let cb = carry + b * m
      cb.update(repeating: 0, count: m)
      for t in stride(from: steps - 1, through: 0, by: -1) {
        let row = b * steps + t
        let o = row * m
        if mask[row] <= 0 {
          for j in 0..<m { cb[j] += dy[o + j] }
          continue
        }
        for j in 0..<m {
          let du = dy[o + j] + cb[j]
          let before: Float = t == 0 ? 0 : u[o - m + j]
          io.inputGrads[0]?[o + j] += du * before
          io.inputGrads[1]?[o + j] += du * c[o + j]
          io.inputGrads[2]?[o + j] += du * g2[o + j]
          cb[j] = du * g1[o + j]
        }
      }
    }
  }
}
