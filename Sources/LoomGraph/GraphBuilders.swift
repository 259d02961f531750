import LoomTensor

/// One-line builders for the primitives, so layers read like their equations.
extension Graph {
  public func matmul(
    _ a: NodeID, _ b: NodeID, transposeA: Bool = false, transposeB: Bool = false, scale: Float = 1
  ) throws(ShapeError) -> NodeID {
    try apply(MatMul(transposeA: transposeA, transposeB: transposeB, scale: scale), a, b)
  }
  public func scale(_ x: NodeID, by factor: Float) throws(ShapeError) -> NodeID {
    factor == 1 ? x : try apply(Scale(factor), x)
  }
  public func add(_ a: NodeID, _ b: NodeID) throws(ShapeError) -> NodeID { try apply(Elementwise(.add), a, b) }
  public func sub(_ a: NodeID, _ b: NodeID) throws(ShapeError) -> NodeID { try apply(Elementwise(.sub), a, b) }
  public func mul(_ a: NodeID, _ b: NodeID) throws(ShapeError) -> NodeID { try apply(Elementwise(.mul), a, b) }
  public func biasAdd(_ x: NodeID, _ b: NodeID) throws(ShapeError) -> NodeID { try apply(BiasAdd(), x, b) }
  public func scaleRows(_ x: NodeID, _ s: NodeID) throws(ShapeError) -> NodeID { try apply(ScaleRows(), x, s) }
  public func activation(_ kind: Activation.Kind, _ x: NodeID) throws(ShapeError) -> NodeID {
    try apply(Activation(kind), x)
  }
  public func relu(_ x: NodeID) throws(ShapeError) -> NodeID { try activation(.relu, x) }
  public func sigmoid(_ x: NodeID) throws(ShapeError) -> NodeID { try activation(.sigmoid, x) }
  public func tanh(_ x: NodeID) throws(ShapeError) -> NodeID { try activation(.tanh, x) }
  public func dropout(_ x: NodeID, _ p: Float) throws(ShapeError) -> NodeID {
    p == 0 ? x : try apply(Dropout(p), x)
  }
  /// dropout(relu(x), p) as one op (`ReLUDropout`); plain relu when p is 0.
  public func reluDropout(_ x: NodeID, _ p: Float) throws(ShapeError) -> NodeID {
    p == 0 ? try relu(x) : try apply(ReLUDropout(p), x)
  }
  /// dropout(relu(x·W + b), p): the product, then bias add, relu and dropout as one op
  /// (`ReLUDropout` with a bias); relu(x·W + b) when p is 0, as at evaluation.
  public func linearReLUDropout(_ x: NodeID, _ w: NodeID, _ b: NodeID, _ p: Float) throws(ShapeError) -> NodeID {
    try apply(ReLUDropout(p), try matmul(x, w), b)
  }
  public func concat(_ xs: [NodeID]) throws(ShapeError) -> NodeID { xs.count == 1 ? xs[0] : try apply(Concat(), xs) }
  public func sliceLast(_ x: NodeID, start: Int, length: Int) throws(ShapeError) -> NodeID {
    try apply(SliceLast(start: start, length: length), x)
  }
  public func sliceTime(_ x: NodeID, start: Int, length: Int) throws(ShapeError) -> NodeID {
    try apply(SliceTime(start: start, length: length), x)
  }
  public func reshape(_ x: NodeID, _ shape: Shape) throws(ShapeError) -> NodeID {
    shape == self.shape(x) ? x : try apply(Reshape(shape), x)
  }
  public func gather(_ table: NodeID, _ indices: NodeID, paddingIndex: Int32? = nil) throws(ShapeError) -> NodeID {
    try apply(Gather(paddingIndex: paddingIndex), table, indices)
  }
  public func sum(_ x: NodeID) throws(ShapeError) -> NodeID { try apply(Reduce(.sum), x) }
  public func mean(_ x: NodeID) throws(ShapeError) -> NodeID { try apply(Reduce(.mean), x) }
  public func sumLast(_ x: NodeID) throws(ShapeError) -> NodeID { try apply(SumLast(), x) }
  public func layerNorm(_ x: NodeID, gain: NodeID, bias: NodeID, epsilon: Float = 1e-8) throws(ShapeError) -> NodeID {
    try apply(LayerNorm(epsilon: epsilon), x, gain, bias)
  }
  /// x·W + b over the last axis.
  public func linear(_ x: NodeID, _ w: NodeID, _ b: NodeID?) throws(ShapeError) -> NodeID {
    let y = try matmul(x, w)
    return try b.map { b throws(ShapeError) in try biasAdd(y, b) } ?? y
  }
  /// Σ of several scalar terms (the total loss).
  public func total(_ terms: [NodeID]) throws(ShapeError) -> NodeID {
    var acc = terms[0]
    for t in terms.dropFirst() { acc = try add(acc, t) }
    return acc
  }
}
