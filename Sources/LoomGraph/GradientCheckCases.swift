import LoomTensor

/// The gradient-check case of every primitive op, as run by `loom gradcheck` and the tests.
extension GradientCheck {
  public static let opCases: [GradientCheckCase] = [
    GradientCheckCase("matmul") { b in try b.graph.matmul(b.parameter([3, 4, 5]), b.parameter([5, 6])) },
    GradientCheckCase("matmul transposeA") { b in
      try b.graph.matmul(b.parameter([5, 3]), b.parameter([5, 4]), transposeA: true)
    },
    GradientCheckCase("matmul transposeB") { b in
      try b.graph.matmul(b.parameter([4, 5]), b.parameter([6, 5]), transposeB: true)
    },
    GradientCheckCase("matmul scaled") { b in try b.graph.matmul(b.parameter([3, 4]), b.parameter([4, 2]), scale: 0.5) },
    GradientCheckCase("scale") { b in try b.graph.scale(b.parameter([3, 4]), by: -0.7) },
    GradientCheckCase("shuffle rows") { b in
      let mask = b.floats("mask", [5], [1, 0, 1, 1, 1])
      return try b.graph.apply(ShuffleRows(), b.parameter([5, 3]), mask)
    },
    GradientCheckCase("batched matmul") { b in try b.graph.matmul(b.parameter([2, 3, 4]), b.parameter([2, 4, 5])) },
    GradientCheckCase("batched matmul transposed") { b in
      try b.graph.matmul(b.parameter([2, 4, 3]), b.parameter([2, 5, 4]), transposeA: true, transposeB: true)
    },
    GradientCheckCase("add broadcast") { b in try b.graph.add(b.parameter([2, 3, 4]), b.parameter([3, 4])) },
    GradientCheckCase("sub broadcast") { b in try b.graph.sub(b.parameter([4]), b.parameter([2, 3, 4])) },
    GradientCheckCase("mul broadcast") { b in try b.graph.mul(b.parameter([2, 3, 4]), b.parameter([4])) },
    GradientCheckCase("biasadd") { b in try b.graph.biasAdd(b.parameter([3, 5]), b.parameter([5])) },
    GradientCheckCase("scalerows") { b in try b.graph.scaleRows(b.parameter([2, 3, 4]), b.parameter([2, 3])) },
    GradientCheckCase("concat") { b in try b.graph.concat([b.parameter([2, 3, 2]), b.parameter([2, 3, 4])]) },
    GradientCheckCase("slice last") { b in try b.graph.sliceLast(b.parameter([3, 6]), start: 2, length: 3) },
    GradientCheckCase("slice time") { b in try b.graph.sliceTime(b.parameter([2, 5, 3]), start: 1, length: 3) },
    GradientCheckCase("shift time") { b in try b.graph.apply(ShiftTime(steps: 1), b.parameter([2, 4, 3])) },
    GradientCheckCase("gather") { b in
      let idx = b.indices("idx", [2, 3], [1, 0, 3, 3, 2, 0])
      return try b.graph.gather(b.parameter([4, 5]), idx, paddingIndex: 0)
    },
    GradientCheckCase("softmax") { b in try b.graph.apply(Softmax(), b.parameter([3, 5], scale: 2)) },
    GradientCheckCase("causal masked softmax") { b in
      let mask = b.floats("mask", [2, 4], [0, 1, 1, 1, 1, 1, 0, 1])
      return try b.graph.apply(Softmax(causal: true, heads: 2), b.parameter([4, 4, 4], scale: 2), mask)
    },
    GradientCheckCase("layernorm") { b in
      try b.graph.layerNorm(b.parameter([3, 6]), gain: b.parameter([6]), bias: b.parameter([6]), epsilon: 1e-5)
    },
    GradientCheckCase("relu") { b in try b.graph.relu(b.parameter([4, 5], margin: 0.05)) },
    GradientCheckCase("gelu") { b in try b.graph.activation(.gelu, b.parameter([4, 5], scale: 2)) },
    GradientCheckCase("sigmoid") { b in try b.graph.sigmoid(b.parameter([4, 5], scale: 3)) },
    GradientCheckCase("tanh") { b in try b.graph.tanh(b.parameter([4, 5], scale: 2)) },
    GradientCheckCase("dropout") { b in try b.graph.dropout(b.parameter([4, 8]), 0.3) },
    GradientCheckCase("relu+dropout") { b in try b.graph.reluDropout(b.parameter([4, 8], margin: 0.05), 0.3) },
    GradientCheckCase("bias+relu+dropout") { b in
      try b.graph.apply(ReLUDropout(0.3), b.parameter([3, 4, 8], margin: 0.05), b.parameter([8], scale: 0.01))
    },
    GradientCheckCase("bias+relu") { b in
      try b.graph.apply(ReLUDropout(0), b.parameter([3, 4, 8], margin: 0.05), b.parameter([8], scale: 0.01))
    },
    GradientCheckCase("sum") { b in try b.graph.sum(b.parameter([3, 4])) },
    GradientCheckCase("mean") { b in try b.graph.mean(b.parameter([3, 4])) },
    GradientCheckCase("sum last") { b in try b.graph.sumLast(b.parameter([3, 4])) },
    GradientCheckCase("reshape") { b in try b.graph.reshape(b.parameter([2, 6]), [3, 4]) },
    GradientCheckCase("swap axes") { b in try b.graph.apply(SwapAxes12(), b.parameter([2, 3, 4, 2])) },
    GradientCheckCase("bce with logits") { b in
      let labels = b.floats("labels", [6], [1, 0, 1, 0, 1, 0])
      let weights = b.floats("weights", [6], [1, 1, 0, 1, 1, 1])
      return try b.graph.apply(BinaryCrossEntropy(), b.parameter([6], scale: 4), labels, weights)
    },
    GradientCheckCase("softmax cross-entropy") { b in
      let targets = b.indices("targets", [4], [2, 0, 5, 1])
      return try b.graph.apply(SoftmaxCrossEntropy(), b.parameter([4, 6], scale: 3), targets)
    },
    GradientCheckCase("squared error") { b in
      let weights = b.floats("rows", [3], [1, 0, 1])
      return try b.graph.apply(SquaredError(), b.parameter([3, 4]), b.parameter([3, 4]), weights)
    },
    GradientCheckCase("gru scan") { b in
      let mask = b.floats("mask", [2, 4], [0, 1, 1, 1, 1, 1, 1, 0])
      return try b.graph.apply(
        GRUScan(), b.parameter([2, 4, 9]), b.parameter([3, 9], scale: 0.8), b.parameter([9], scale: 0.5), mask)
    },
    GradientCheckCase("memory scan") { b in
      let mask = b.floats("mask", [2, 3], [1, 1, 1, 0, 1, 1])
      return try b.graph.apply(MemoryScan(), b.parameter([2, 3, 4]), b.parameter([2, 3, 4]), b.parameter([2, 3, 4]), mask)
    },
  ]
}
