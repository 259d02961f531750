import LoomTensor
import Testing

@testable import LoomGraph

/// Graphs that share one arena (a model's training programs, one per batch shape) compute
/// exactly what graphs with their own memory do, whichever ran in between.
struct SharedArenaTests {
  /// tanh(x · w + b) summed with weights, for `rows` rows of 3 features; one parameter store, so
  /// graphs of every row count train the same weights.
  static func layer(rows: Int, _ store: ParameterStore, arena: SharedArena?) throws -> CompiledGraph {
    let g = Graph()
    let x = g.input("x", [rows, 3])
    let weights = g.input("weights", [rows * 2])
    let w = g.parameter(store.parameters[0])
    let b = g.parameter(store.parameters[1])
    let y = try g.reshape(try g.activation(.tanh, try g.linear(x, w, b)), [rows * 2])
    let loss = try g.apply(BinaryCrossEntropy(), y, g.constant(Tensor(shape: [rows * 2], repeating: 1)), weights)
    return try CompiledGraph(g, outputs: [y], loss: loss, arena: arena)
  }

  static func store() -> ParameterStore {
    var random = SeededRandom(seed: 8)
    let store = ParameterStore()
    store.add("w", Tensor(shape: [3, 2], normalStd: 0.7, random: &random))
    store.add("b", Tensor(shape: [2], normalStd: 0.1, random: &random))
    return store
  }

  /// Feeds rows 0.1·(r + c) - 0.4 and weights alternating 1 and 0.5, runs forward and backward,
  /// and returns the output, the loss and the gradients.
  static func run(_ c: CompiledGraph, rows: Int, _ store: ParameterStore) throws -> [Float] {
    try c.feed("x", (0..<rows * 3).map { Float($0 % 7) * 0.1 - 0.4 })
    try c.feed("weights", (0..<rows * 2).map { $0 % 2 == 0 ? 1 : 0.5 })
    let run = RunState(training: true, seed: 1)
    try c.forward(run)
    try c.backward(run)
    return c.value(c.outputs[0]).scalars + [c.lossValue] + store.parameters.flatMap { Array($0.grad.buffer.prefix($0.count)) }
  }

  @Test func aSmallGraphRunAfterALargerOneGivesItsOwnResults() throws {
    let store = Self.store()
    let arena = SharedArena()
    let small = try Self.layer(rows: 4, store, arena: arena)
    #expect(arena.generation == 1)
    let large = try Self.layer(rows: 50, store, arena: arena)
    #expect(arena.generation == 2, "a larger plan regrows the arena")
    let smallAgain = try Self.layer(rows: 4, store, arena: arena)
    #expect(arena.generation == 2, "a smaller plan fits the grown arena")
    #expect(smallAgain.arena === large.arena)

    let expectedSmall = try Self.run(try Self.layer(rows: 4, store, arena: nil), rows: 4, store)
    let expectedLarge = try Self.run(try Self.layer(rows: 50, store, arena: nil), rows: 50, store)
    #expect(try Self.run(smallAgain, rows: 4, store) == expectedSmall)
    #expect(try Self.run(large, rows: 50, store) == expectedLarge)
    #expect(try Self.run(smallAgain, rows: 4, store) == expectedSmall, "the large run overwrote the shared buffers")
    // A graph of the old generation keeps its own (old) storage and stays right.
    #expect(small.arena !== large.arena)
    #expect(try Self.run(small, rows: 4, store) == expectedSmall)
  }

  @Test func growthLeavesAnEighthOfHeadroom() {
    let arena = SharedArena()
    #expect(arena.claim(800).capacity == 900)
    #expect(arena.claim(880).capacity == 900)
    #expect(arena.generation == 1)
    #expect(arena.claim(901).capacity == 901 + 112)
    #expect(arena.generation == 2)
  }
}
