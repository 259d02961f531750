import LoomTensor
import Testing

@testable import LoomGraph

/// The identity the GRU's input projection relies on over `seq(v)` (`GRU.inputProjection`):
/// gather(T)·W + b = gather(T·W) + b, with padding positions (index 0) giving b either way.
/// The values are the same bits (each the same dot product in the same order); the gradients
/// of T, W and b sum in another order (over items, then positions, instead of over positions),
/// so they are bounded, not equal.
struct GatheredProjectionTests {
  func run(projectFirst: Bool) throws -> (values: [Float], gradients: [[Float]]) {
    let (items, d, out, batch, steps) = (300, 100, 60, 20, 50)  // both products above sgemm's small kernels
    var random = SeededRandom(seed: 17)
    let store = ParameterStore()
    let table = store.add("table", Tensor(shape: [items, d], normalStd: 1, random: &random))
    let weight = store.add("w", Tensor(shape: [d, out], normalStd: 0.1, random: &random))
    let bias = store.add("b", Tensor(shape: [out], normalStd: 0.1, random: &random))
    let g = Graph()
    let indices = g.input("indices", [batch, steps], type: .int32)
    let (t, w, b) = (g.parameter(table), g.parameter(weight), g.parameter(bias))
    let y =
      projectFirst
      ? try g.biasAdd(g.gather(g.matmul(t, w), indices, paddingIndex: 0), b)
      : try g.linear(g.gather(t, indices, paddingIndex: 0), w, b)
    let upstream = g.constant(Tensor(shape: [batch, steps, out], normalStd: 1, random: &random))
    let loss = try g.sum(g.mul(y, upstream))
    let c = try CompiledGraph(g, outputs: [y], loss: loss)
    // Every third position is padding; items repeat (1,000 positions over 299 items).
    try c.feed("indices", indices: (0..<(batch * steps)).map { Int32($0 % 3 == 0 ? 0 : 1 + ($0 * 7) % (items - 1)) })
    let state = RunState(training: true, seed: 1)
    try c.forward(state)
    try c.backward(state)
    let gradients = store.parameters.map { Array(UnsafeBufferPointer(start: $0.grad.pointer, count: $0.count)) }
    return (c.value(y).scalars, gradients)
  }

  @Test func projectingTheTableFirstGivesTheSameValuesAndCloseGradients() throws {
    let gathered = try run(projectFirst: false)
    let projected = try run(projectFirst: true)
    #expect(gathered.values.map(\.bitPattern) == projected.values.map(\.bitPattern))
    for (name, (a, b)) in zip(["table", "w", "b"], zip(gathered.gradients, projected.gradients)) {
      let scale = a.map(abs).max() ?? 0
      let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
      #expect(scale > 0 && worst <= 1e-5 * scale, "\(name): largest difference \(worst) against \(scale)")
    }
  }
}
