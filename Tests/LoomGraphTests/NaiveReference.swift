import LoomTensor

@testable import LoomGraph

/// Runs one op forward on the given inputs and returns its output values.
func runOp(_ op: any Op, _ inputs: [(Shape, [Float])], indices: [Int: [Int32]] = [:], training: Bool = false) throws -> [Float] {
  let g = Graph()
  var ids: [NodeID] = []
  for (k, (shape, values)) in inputs.enumerated() {
    if indices[k] != nil {
      ids.append(g.input("in\(k)", shape, type: .int32))
    } else {
      ids.append(g.constant(Tensor(shape: shape, values: values)))
    }
  }
  let y = try g.apply(op, ids)
  let c = try CompiledGraph(g, outputs: [y])
  for (k, v) in indices { try c.feed("in\(k)", indices: v) }
  try c.forward(RunState(training: training, seed: 1))
  return c.value(y).scalars
}

func randomValues(_ n: Int, _ random: inout SeededRandom, scale: Float = 1) -> [Float] {
  (0..<n).map { _ in (2 * random.nextUniform() - 1) * scale }
}

func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-4) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
}
