import LoomTensor
import Synchronization

/// A graph made runnable: pruned to what its outputs need, topologically ordered, every buffer
/// placed by a `MemoryPlan` in one arena, and forward and backward passes as flat lists of op
/// calls with their buffers already bound.
///
/// With a `loss`, the graph also differentiates: the backward pass is the reverse sweep over the
/// nodes that lead to the loss and depend on a trainable parameter, accumulating into gradients.
public final class CompiledGraph: @unchecked Sendable {
  struct Step {
    let node: NodeID
    let op: any Op
    let io: OpIO
    /// Gradient buffers whose first writer is this step: zeroed just before it runs.
    let zeroFirst: [(UnsafeMutablePointer<Float>, Int)]
  }

  public let graph: Graph
  public let outputs: [NodeID]
  public let loss: NodeID?
  public let plan: MemoryPlan
  let forwardSteps: [Step]
  let backwardSteps: [Step]
  let arena: TensorStorage
  let valuePointers: [NodeID: UnsafeMutablePointer<Float>]
  let gradPointers: [NodeID: UnsafeMutablePointer<Float>]
  /// The loss's value (one float), when there is a loss.
  let lossPointer: UnsafeMutablePointer<Float>?
  /// Trainable parameters this graph differentiates.
  public let parameters: [Parameter]

  /// Matrix-product FLOPs of one forward pass; a training step does about three times this
  /// (backward needs two products per forward product).
  public var forwardMatmulFLOPs: Double {
    forwardSteps.reduce(0) { $0 + $1.op.matmulFLOPs(inputs: $1.io.inputShapes, output: $1.io.outputShape) }
  }

  /// Nodes whose gradient is kept in a consumer's gradient buffer (`Op.passesGradientThrough`).
  public let gradientsPassedThrough: Int

  /// Gradient values zeroed in one backward pass before their first writer adds into them
  /// (those whose first writer stores instead are not counted; parameters' gradients neither).
  public var gradientValuesZeroed: Int {
    backwardSteps.reduce(0) { total, step in total + step.zeroFirst.reduce(0) { $0 + $1.1 } }
  }

  /// With `arena`, buffers are placed in that shared storage instead of a private one: the
  /// caller promises never to run two graphs of one shared arena at the same time, and to feed
  /// every input before each run (another graph may have overwritten them in between).
  public init(_ graph: Graph, outputs: [NodeID], loss: NodeID? = nil, arena shared: SharedArena? = nil) throws(GraphError) {
    self.graph = graph
    self.outputs = outputs
    self.loss = loss
    let nodes = graph.nodes
    if let loss, nodes[loss].shape.count != 1 { throw .lossNotScalar(shape: nodes[loss].shape) }

    // Keep what the outputs and the loss need; node ids are already topological.
    var needed = [Bool](repeating: false, count: nodes.count)
    var stack = outputs + (loss.map { [$0] } ?? [])
    while let n = stack.popLast() {
      if needed[n] { continue }
      needed[n] = true
      stack += nodes[n].inputs
    }
    let order = nodes.indices.filter { needed[$0] }
    let opOrder = order.filter { if case .op = nodes[$0].kind { true } else { false } }

    // Gradients flow where a trainable parameter lies upstream and the loss lies downstream.
    var dependsOnParameter = [Bool](repeating: false, count: nodes.count)
    var leadsToLoss = [Bool](repeating: false, count: nodes.count)
    if let loss {
      for n in order {
        switch nodes[n].kind {
        case .parameter(let p): dependsOnParameter[n] = p.trainable
        case .op: dependsOnParameter[n] = nodes[n].inputs.contains { dependsOnParameter[$0] }
        default: break
        }
      }
      leadsToLoss[loss] = true
      for n in order.reversed() where leadsToLoss[n] {
        for i in nodes[n].inputs { leadsToLoss[i] = true }
      }
    }
    let needsGrad = nodes.indices.map { dependsOnParameter[$0] && leadsToLoss[$0] }
    let backwardOrder = opOrder.reversed().filter { needsGrad[$0] }

    // Schedule positions: every op runs forward; those that need a gradient also run backward.
    var forwardStep = [Int](repeating: -1, count: nodes.count)
    for (i, n) in opOrder.enumerated() { forwardStep[n] = i }
    var backwardStep: [NodeID: Int] = [:]
    for (i, n) in backwardOrder.enumerated() { backwardStep[n] = opOrder.count + i }
    var consumers = [[NodeID]](repeating: [], count: nodes.count)
    for n in opOrder { for i in Set(nodes[n].inputs) { consumers[i].append(n) } }
    let plainGradients = CompiledGraph.plain.gradients.load(ordering: .relaxed)
    /// Where `n` stands among `c`'s inputs, when it is there once: an op given one node twice
    /// writes its gradient twice, so neither storing nor sharing is safe there.
    func soleInputIndex(of n: NodeID, in c: NodeID) -> Int? {
      let inputs = nodes[c].inputs
      guard let i = inputs.firstIndex(of: n), inputs.lastIndex(of: n) == i else { return nil }
      return i
    }

    // Gradients passed through unchanged share one buffer: when an op's input gradient is its
    // output gradient exactly (`Op.passesGradientThrough`: a reshape, a bias add's x) and the
    // op is that input's only consumer, the input's gradient *is* the op's output gradient.
    // The op then writes nothing for it, and the shared buffer lives until the input's own
    // backward step. Consumers come later in node order, so one sweep from the end resolves
    // chains (a bias add of a reshape) to the last node's buffer.
    var gradientOwner = Array(nodes.indices)
    if loss != nil, !plainGradients {
      for n in opOrder.reversed() where needsGrad[n] && n != loss && consumers[n].count == 1 {
        let c = consumers[n][0]
        guard c != loss, backwardStep[c] != nil, case .op(let consumer) = nodes[c].kind,
          let i = soleInputIndex(of: n, in: c),
          consumer.passesGradientThrough(of: i, inputs: nodes[c].inputs.map { nodes[$0].shape })
        else { continue }
        gradientOwner[n] = gradientOwner[c]
      }
    }
    gradientsPassedThrough = gradientOwner.indices.filter { gradientOwner[$0] != $0 }.count
    var gradientEnd: [NodeID: Int] = [:]
    for n in backwardOrder { gradientEnd[gradientOwner[n]] = max(gradientEnd[gradientOwner[n]] ?? 0, backwardStep[n]!) }

    // Lifetimes.
    let pinned = Set(outputs + (loss.map { [$0] } ?? []))
    var lifetimes: [BufferLifetime] = []
    for n in order {
      let count = nodes[n].shape.count
      switch nodes[n].kind {
      case .input:
        lifetimes.append(BufferLifetime(key: .value(n), start: -1, end: .max, floats: count))
      case .parameter, .constant:
        break
      case .op(let op):
        let f = forwardStep[n]
        var end = f
        for c in consumers[n] {
          end = max(end, forwardStep[c])
          if let b = backwardStep[c] { end = max(end, b) }
        }
        if let b = backwardStep[n] { end = max(end, b) }
        if pinned.contains(n) { end = .max }
        lifetimes.append(BufferLifetime(key: .value(n), start: f, end: end, floats: count))
        let scratch = op.scratchCount(inputs: nodes[n].inputs.map { nodes[$0].shape }, output: nodes[n].shape)
        if scratch > 0 {
          lifetimes.append(
            BufferLifetime(key: .scratch(n), start: f, end: backwardStep[n] ?? f, floats: scratch))
        }
        if let b = backwardStep[n], gradientOwner[n] == n {
          let firstWriter = n == loss ? b : consumers[n].compactMap { backwardStep[$0] }.min() ?? b
          lifetimes.append(BufferLifetime(key: .grad(n), start: firstWriter, end: gradientEnd[n] ?? b, floats: count))
        }
      }
    }
    let plan = MemoryPlan(lifetimes)
    self.plan = plan
    arena = shared?.claim(plan.arenaFloats) ?? TensorStorage(capacity: plan.arenaFloats)
    let base = arena.pointer

    // Bind pointers: inputs' and ops' buffers in the arena, parameters and constants their own.
    var values: [NodeID: UnsafeMutablePointer<Float>] = [:]
    var grads: [NodeID: UnsafeMutablePointer<Float>] = [:]
    var scratches: [NodeID: UnsafeMutablePointer<Float>] = [:]
    for (key, offset) in plan.offsets {
      switch key {
      case .value(let n): values[n] = base + offset
      case .grad(let n): grads[n] = base + offset
      case .scratch(let n): scratches[n] = base + offset
      }
    }
    var params: [Parameter] = []
    for n in order {
      switch nodes[n].kind {
      case .input, .op: break
      case .parameter(let p):
        values[n] = p.value.pointer
        if needsGrad[n] {
          grads[n] = p.grad.pointer
          params.append(p)
        }
      case .constant(let t): values[n] = t.pointer
      }
    }
    for n in backwardOrder where gradientOwner[n] != n { grads[n] = grads[gradientOwner[n]] }
    valuePointers = values
    gradPointers = grads
    parameters = params
    lossPointer = loss.flatMap { values[$0] }

    func value(_ n: NodeID) -> UnsafeMutablePointer<Float> {
      guard let p = values[n] else { preconditionFailure("node \(n) is needed by the outputs but was given no buffer") }
      return p
    }
    func io(_ n: NodeID, overwriting: Set<Int> = []) -> OpIO {
      let node = nodes[n]
      return OpIO(
        inputs: node.inputs.map(value), inputShapes: node.inputs.map { nodes[$0].shape },
        output: value(n), outputShape: node.shape,
        scratch: scratches[n] ?? base,
        outputGrad: grads[n] ?? base,
        inputGrads: node.inputs.map { needsGrad[$0] && gradientOwner[$0] != gradientOwner[n] ? grads[$0] : nil },
        overwrites: node.inputs.indices.map { overwriting.contains($0) })
    }
    func op(_ n: NodeID) -> any Op {
      if case .op(let op) = nodes[n].kind { return op }
      preconditionFailure("node \(n) is not an op")
    }
    forwardSteps = opOrder.map { Step(node: $0, op: op($0), io: io($0), zeroFirst: []) }

    // A non-parameter gradient buffer is written first by the earliest backward step of its
    // consumers. That step stores into it when its op can (`Op.overwritesGradient`, and the
    // node is one of its inputs only once); otherwise
    // the buffer is zeroed right before that step and every writer adds.
    var zeroAt: [NodeID: [(UnsafeMutablePointer<Float>, Int)]] = [:]
    var overwriteAt: [NodeID: Set<Int>] = [:]
    for n in backwardOrder where n != loss && gradientOwner[n] == n {
      let writers = consumers[n].compactMap { c in backwardStep[c].map { (step: $0, node: c) } }
      guard let writer = writers.min(by: { $0.step < $1.step }) else { continue }
      guard let grad = grads[n] else { preconditionFailure("op \(n) is differentiated but was given no gradient buffer") }
      if !plainGradients, let i = soleInputIndex(of: n, in: writer.node),
        op(writer.node).overwritesGradient(of: i, inputs: nodes[writer.node].inputs.map { nodes[$0].shape })
      {
        overwriteAt[writer.node, default: []].insert(i)
      } else {
        zeroAt[writer.node, default: []].append((grad, nodes[n].shape.count))
      }
    }
    backwardSteps = backwardOrder.map {
      Step(node: $0, op: op($0), io: io($0, overwriting: overwriteAt[$0] ?? []), zeroFirst: zeroAt[$0] ?? [])
    }
  }

  /// Compiles every graph, while `body` runs, with plain gradients: each node its own gradient
  /// buffer, zeroed and added into (no first writer stores, no gradient passes through to
  /// share a buffer), then restores the default; callers on other threads wait their turn.
  /// For the tests that both ways give the same gradients.
  public static func withPlainGradients<R>(_ body: () throws -> R) rethrows -> R {
    try plain.turn.withLock { _ in
      plain.gradients.store(true, ordering: .relaxed)
      defer { plain.gradients.store(false, ordering: .relaxed) }
      return try body()
    }
  }

  static let plain = PlainGradients()
  final class PlainGradients: Sendable {
    let turn = Mutex(())
    let gradients = Atomic(false)
  }

  // MARK: Feeding and reading

  public func feed(_ name: String, _ values: [Float]) throws(GraphError) {
    let p = try inputPointer(name, count: values.count)
    values.withUnsafeBufferPointer { source in
      guard let start = source.baseAddress else { return }  // no values to copy
      p.update(from: start, count: source.count)
    }
  }

  public func feed(_ name: String, indices: [Int32]) throws(GraphError) {
    let p = try inputPointer(name, count: indices.count)
    let ip = UnsafeMutableRawPointer(p).assumingMemoryBound(to: Int32.self)
    indices.withUnsafeBufferPointer { source in
      guard let start = source.baseAddress else { return }  // no indices to copy
      ip.update(from: start, count: source.count)
    }
  }

  /// The buffer of input `name`, for callers that fill it in place.
  public func inputPointer(_ name: String, count: Int? = nil) throws(GraphError) -> UnsafeMutablePointer<Float> {
    guard let id = graph.inputID(name), let p = valuePointers[id] else { throw .unknownInput(name) }
    let expected = graph.shape(id).count
    if let count, count != expected { throw .feedSize(input: name, expected: expected, got: count) }
    return p
  }

  public func hasInput(_ name: String) -> Bool { graph.inputID(name).flatMap { valuePointers[$0] } != nil }

  /// A node's current value (outputs and inputs stay valid after a run; others may be reused).
  /// `id` must be one the outputs or the loss need: the others were pruned.
  public func pointer(_ id: NodeID) -> UnsafeMutablePointer<Float> {
    guard let p = valuePointers[id] else {
      preconditionFailure("node \(id) was pruned: the compiled outputs and loss do not need it")
    }
    return p
  }
  public func value(_ id: NodeID) -> Tensor {
    Tensor(shape: graph.shape(id), values: Array(UnsafeBufferPointer(start: pointer(id), count: graph.shape(id).count)))
  }
  public var lossValue: Float { lossPointer?[0] ?? .nan }

  // MARK: Running

  /// Runs every op in order. With a loss, a non-finite loss replays the pass from the same
  /// generator state, checking each op's output, and reports the first op that made a NaN or Inf.
  public func forward(_ run: RunState, interruption: Interruption? = nil) throws(GraphError) {
    let replay = run.random
    if let profiler = run.profiler {
      for step in forwardSteps {
        if let interruption, interruption.isRequested { throw .interrupted }
        let t0 = monotonicSeconds()
        step.op.forward(step.io, run)
        profiler.add(profiler.key(step.op, step.io, "forward"), monotonicSeconds() - t0)
      }
    } else {
      for step in forwardSteps {
        if let interruption, interruption.isRequested { throw .interrupted }
        step.op.forward(step.io, run)
      }
    }
    if let lossPointer, !Kernels.allFinite(lossPointer, 1) {
      run.random = replay
      try locateNonFinite(run)
    }
  }

  /// Replays the forward pass and throws at the first op whose output stops being finite
  /// although its inputs were finite.
  func locateNonFinite(_ run: RunState) throws(GraphError) {
    for step in forwardSteps {
      step.op.forward(step.io, run)
      let node = graph[step.node]
      if !Kernels.allFinite(step.io.output, node.shape.count) {
        let shapes = step.io.inputShapes.map(\.description).joined(separator: " x ") + " -> \(node.shape)"
        throw .nonFinite(op: step.op.name, scope: node.scope, shapes: shapes)
      }
    }
    let bad = graph.nodes.compactMap { n -> String? in
      if case .parameter(let p) = n.kind, !Kernels.allFinite(p.value.pointer, p.count) { return p.name }
      return nil
    }
    throw .nonFinite(op: bad.isEmpty ? "an input" : "parameter \(bad[0])", scope: "", shapes: "")
  }

  /// Reverse sweep: seeds d(loss) = 1, zeroes this graph's parameter gradients, and accumulates
  /// every gradient. Call after `forward`.
  public func backward(_ run: RunState, interruption: Interruption? = nil) throws(GraphError) {
    guard let loss, let seed = gradPointers[loss] else { return }
    for p in parameters { p.zeroGrad() }
    seed[0] = 1
    for step in backwardSteps {
      if let interruption, interruption.isRequested { throw .interrupted }
      let t0 = run.profiler == nil ? 0 : monotonicSeconds()
      for (p, n) in step.zeroFirst { Kernels.zero(p, n) }
      step.op.backward(step.io, run)
      if let profiler = run.profiler { profiler.add(profiler.key(step.op, step.io, "backward"), monotonicSeconds() - t0) }
    }
  }
}
