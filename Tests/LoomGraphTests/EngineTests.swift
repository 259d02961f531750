import Foundation
import LoomTensor
import Testing

@testable import LoomGraph

struct EngineTests {
  /// A 2-8-1 MLP learns XOR with Adam.
  func trainXOR(seed: UInt64, steps: Int) throws -> (loss: Float, parameters: [[Float]]) {
    var random = SeededRandom(seed: seed)
    let store = ParameterStore()
    let g = Graph()
    let x = g.input("x", [4, 2])
    let labels = g.input("y", [4])
    let weights = g.input("w", [4])
    let w1 = g.parameter(store.add("w1", Tensor(shape: [2, 8], normalStd: 1, random: &random)))
    let b1 = g.parameter(store.add("b1", Tensor(zeros: [8])))
    let w2 = g.parameter(store.add("w2", Tensor(shape: [8, 1], normalStd: 0.5, random: &random)))
    let hidden = try g.activation(.tanh, try g.linear(x, w1, b1))
    let logits = try g.reshape(try g.matmul(hidden, w2), [4])
    let loss = try g.apply(BinaryCrossEntropy(), logits, labels, weights)
    let c = try CompiledGraph(g, outputs: [logits], loss: loss)
    try c.feed("x", [0, 0, 0, 1, 1, 0, 1, 1])
    try c.feed("y", [0, 1, 1, 0])
    try c.feed("w", [1, 1, 1, 1])
    let adam = Adam(learningRate: 0.05)
    let run = RunState(training: true, seed: seed)
    for _ in 0..<steps {
      try c.forward(run)
      try c.backward(run)
      adam.update(store.trainable)
    }
    try c.forward(run)
    return (c.lossValue, store.parameters.map { Array($0.value.buffer.prefix($0.count)) })
  }

  @Test func mlpLearnsXOR() throws {
    let (loss, _) = try trainXOR(seed: 5, steps: 300)
    #expect(loss < 0.05)
  }

  @Test func oneSeedGivesTheSameRunBitForBit() throws {
    BLAS.threads = 1
    let a = try trainXOR(seed: 11, steps: 50)
    let b = try trainXOR(seed: 11, steps: 50)
    #expect(a.loss.bitPattern == b.loss.bitPattern)
    #expect(a.parameters == b.parameters)
    let c = try trainXOR(seed: 12, steps: 50)
    #expect(c.parameters != a.parameters)
  }

  @Test func shapeErrorsNameTheOpAndBothShapes() throws {
    let g = Graph()
    let a = g.input("a", [32, 64])
    let b = g.input("b", [32, 64])
    #expect(throws: ShapeError("matmul", [[32, 64], [32, 64]], "inner dimensions 64 != 32")) {
      try g.matmul(a, b)
    }
    do {
      _ = try g.matmul(a, b)
    } catch {
      #expect(error.description == "matmul: [32, 64] x [32, 64]: inner dimensions 64 != 32")
    }
    #expect(throws: ShapeError.self) { try g.add(a, g.input("c", [3])) }
    #expect(throws: ShapeError.self) { try g.gather(a, g.input("f", [4])) }  // float indices
  }

  @Test func memoryPlanReusesDeadBuffers() throws {
    // A chain of 20 tanh ops over [1000] needs two live buffers at a time in evaluation.
    let g = Graph()
    var x = g.input("x", [1000])
    for _ in 0..<20 { x = try g.tanh(x) }
    let c = try CompiledGraph(g, outputs: [x])
    #expect(c.plan.unplannedFloats == 21_000)
    #expect(c.plan.arenaFloats <= 3 * 1008)
    try c.feed("x", [Float](repeating: 0.5, count: 1000))
    try c.forward(RunState(training: false, seed: 0))
    var v: Float = 0.5
    for _ in 0..<20 { v = Float(tanh(Double(v))) }
    #expect(abs(c.value(x)[999] - v) < 1e-6)
  }

  @Test func trainingGraphKeepsWhatBackwardReads() throws {
    // Same chain with a loss: every tanh output is read by its backward, so none is reused
    // before the backward pass, and the gradient is still right.
    let store = ParameterStore()
    let g = Graph()
    let p = store.add("p", Tensor(shape: [3], values: [0.1, 0.2, 0.3]))
    var x = g.parameter(p)
    for _ in 0..<5 { x = try g.tanh(x) }
    let loss = try g.sum(x)
    let c = try CompiledGraph(g, outputs: [], loss: loss)
    let run = RunState(training: true, seed: 0)
    try c.forward(run)
    try c.backward(run)
    for i in 0..<3 {
      var v = Double(p.value.pointer[i])
      var d = 1.0
      for _ in 0..<5 {
        v = tanh(v)
        d *= 1 - v * v
      }
      #expect(abs(Double(p.grad.pointer[i]) - d) < 1e-5)
    }
  }

  @Test func nonFiniteLossNamesTheOp() throws {
    let store = ParameterStore()
    let g = Graph()
    g.scope = "encdec#1"
    let p = store.add("p", Tensor(shape: [2], values: [1e30, 1e30]))
    let x = g.parameter(p)
    let sq = try g.mul(x, x)  // overflows to +Inf
    let loss = try g.sum(sq)
    let c = try CompiledGraph(g, outputs: [], loss: loss)
    #expect(throws: GraphError.nonFinite(op: "mul", scope: "encdec#1", shapes: "[2] x [2] -> [2]")) {
      try c.forward(RunState(training: true, seed: 0))
    }
  }

  @Test func interruptionStopsBetweenOps() throws {
    let g = Graph()
    let x = try g.tanh(g.input("x", [4]))
    let c = try CompiledGraph(g, outputs: [x])
    let stop = Interruption()
    stop.request()
    #expect(throws: GraphError.interrupted) { try c.forward(RunState(training: false, seed: 0), interruption: stop) }
  }

  @Test func adamMatchesHandComputedSteps() throws {
    // θ = 1, g = 2 each step, lr 0.1: step 1 moves by lr·m̂/(√v̂ + ε) = 0.1 exactly.
    let store = ParameterStore()
    let p = store.add("p", Tensor(shape: [1], values: [1]))
    let adam = Adam(learningRate: 0.1)
    p.grad.pointer[0] = 2
    adam.update(store.trainable)
    #expect(abs(p.value.pointer[0] - 0.9) < 1e-6)
    // With L2 λ = 0.5 the gradient becomes 2 + 0.5·θ; clipping at 1 scales the raw 2 to 1.
    let q = store.add("q", Tensor(shape: [1], values: [2]))
    let clipped = Adam(learningRate: 0.1, weightDecay: 0.5, clipNorm: 1)
    q.grad.pointer[0] = 2
    clipped.update([q])
    #expect(abs(q.moment1.pointer[0] - 0.1 * (1 + 0.5 * 2)) < 1e-6)
  }

  @Test func listingShowsOpsShapesAndMemory() throws {
    let g = Graph()
    g.scope = "dense#1"
    let y = try g.relu(try g.matmul(g.input("x", [8, 4]), g.input("w", [4, 3])))
    let c = try CompiledGraph(g, outputs: [y])
    let text = c.listing
    #expect(text.contains("matmul"))
    #expect(text.contains("[8, 4] [4, 3]"))
    #expect(text.contains("[8, 3]"))
    #expect(text.contains("dense#1"))
    #expect(text.contains("2 ops forward"))
  }
}
