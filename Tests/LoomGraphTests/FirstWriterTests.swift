import LoomTensor
import Testing

@testable import LoomGraph

/// A gradient's first writer stores instead of adding into a zeroed buffer (`Op`'s note on
/// first writers), and a gradient passed through unchanged (a reshape's, a bias add's x, an
/// add's operands) shares its consumer's buffer: the gradients must be the same bits as with
/// plain gradients (every buffer its own, zeroed, added into). A chain through every op that
/// stores (matmul, bias add, add, relu+dropout, dropout, layer norm, scale rows, reshape, the
/// GRU scan with padding steps), with fan-out so that some buffers are stored and then added
/// into, runs two training steps compiled each way from the same values and seed.
@Suite(.serialized) struct FirstWriterTests {
  func gradients(plain: Bool) throws -> (parameters: [[Float]], zeroed: Int, passed: Int) {
    let (batch, steps, d, h) = (6, 7, 12, 5)
    var random = SeededRandom(seed: 21)
    let store = ParameterStore()
    func weights(_ name: String, _ shape: Shape) -> Parameter {
      store.add(name, Tensor(shape: shape, normalStd: 0.4, random: &random))
    }
    let g = Graph()
    let x = g.input("x", [batch, steps, d])
    let mask = g.input("mask", [batch, steps])
    let (w1, b1) = (g.parameter(weights("w1", [d, 16])), g.parameter(weights("b1", [16])))
    let (w2, b2) = (g.parameter(weights("w2", [16, d])), g.parameter(weights("b2", [d])))
    let (gain, bias) = (g.parameter(weights("gain", [d])), g.parameter(weights("bias", [d])))
    let wih = g.parameter(weights("wih", [d, 3 * h]))
    let (whh, bhh) = (g.parameter(weights("whh", [h, 3 * h])), g.parameter(weights("bhh", [3 * h])))
    let wout = g.parameter(weights("wout", [h, 1]))

    let hidden = try g.reluDropout(try g.linear(x, w1, b1), 0.2)
    let projected = try g.dropout(try g.linear(hidden, w2, b2), 0.1)
    let residual = try g.add(x, projected)  // x's gradient: stored by one writer, added by the other
    let normed = try g.scaleRows(try g.layerNorm(residual, gain: gain, bias: bias), mask)
    // Padding rows reach the GRU unmasked, so a stale gradient in them would show in W_ih's.
    let flat = try g.reshape(try g.add(normed, residual), [batch * steps, d])
    let gates = try g.reshape(try g.matmul(flat, wih), [batch, steps, 3 * h])
    let states = try g.apply(GRUScan(), gates, whh, bhh, mask)
    let scores = try g.matmul(states, wout)
    let loss = try g.sum(try g.mul(scores, scores))

    func compile() throws -> CompiledGraph { try CompiledGraph(g, outputs: [scores], loss: loss) }
    let c = plain ? try CompiledGraph.withPlainGradients(compile) : try compile()
    // Two steps: the first without padding leaves values in every buffer; the second pads
    // (left padding of different lengths, which the GRU scan carries its state through), so a
    // first writer that skipped a padding row would leave the first step's value there.
    let run = RunState(training: true, seed: 4)
    for padded in [false, true] {
      try c.feed("x", (0..<(batch * steps * d)).map { _ in random.nextUniform() - 0.5 })
      try c.feed("mask", (0..<(batch * steps)).map { i in Float(!padded || i % steps >= i / steps ? 1 : 0) })
      try c.forward(run)
      try c.backward(run)
    }
    return (
      store.parameters.map { Array(UnsafeBufferPointer(start: $0.grad.pointer, count: $0.count)) },
      c.gradientValuesZeroed, c.gradientsPassedThrough
    )
  }

  @Test func storedAndSharedGradientsEqualPlainOnes() throws {
    let zeroed = try gradients(plain: true)
    let stored = try gradients(plain: false)
    // The two linear maps' products pass through their bias adds, the add and the product
    // before the GRU through their reshapes, the dropout's output and the scaled norm through
    // the adds they are the only input of.
    #expect(zeroed.passed == 0 && stored.passed == 6, "passed through: \(stored.passed)")
    #expect(zeroed.parameters.count == 10 && zeroed.parameters == stored.parameters)
    #expect(zeroed.parameters.allSatisfy { $0.contains { $0 != 0 } })
    // Only the elementwise product's input (written twice by one op, so never stored) is still
    // zeroed.
    #expect(zeroed.zeroed > 0 && stored.zeroed < zeroed.zeroed / 6, "zeroed \(stored.zeroed) of \(zeroed.zeroed)")
  }

  /// Both operands of a sum, each feeding only the sum, share its gradient buffer (the three
  /// nodes one buffer): the products' backward steps only read it.
  @Test func bothOperandsOfASumShareItsGradient() throws {
    func gradients(plain: Bool) throws -> (parameters: [[Float]], passed: Int) {
      var random = SeededRandom(seed: 8)
      let store = ParameterStore()
      let p1 = store.add("w1", Tensor(shape: [5, 3], normalStd: 1, random: &random))
      let p2 = store.add("w2", Tensor(shape: [5, 3], normalStd: 1, random: &random))
      let g = Graph()
      let x = g.constant(Tensor(shape: [4, 5], normalStd: 1, random: &random))
      let sum = try g.add(try g.matmul(x, g.parameter(p1)), try g.matmul(try g.scale(x, by: 2), g.parameter(p2)))
      let loss = try g.sum(try g.mul(sum, sum))
      func compile() throws -> CompiledGraph { try CompiledGraph(g, outputs: [sum], loss: loss) }
      let c = plain ? try CompiledGraph.withPlainGradients(compile) : try compile()
      let run = RunState(training: true, seed: 1)
      try c.forward(run)
      try c.backward(run)
      let parameters = store.parameters.map { Array(UnsafeBufferPointer(start: $0.grad.pointer, count: $0.count)) }
      return (parameters, c.gradientsPassedThrough)
    }
    let (plain, shared) = (try gradients(plain: true), try gradients(plain: false))
    #expect(plain.passed == 0 && shared.passed == 2)
    #expect(plain.parameters == shared.parameters && plain.parameters.allSatisfy { $0.contains { $0 != 0 } })
  }
}
