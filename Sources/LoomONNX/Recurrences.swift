import LoomGraph
import LoomTensor

/// Loom's fused recurrences, unrolled over the time axis for ONNX.
///
/// ONNX's own GRU op runs every step; Loom's masked scan (`GRUScan`) carries the state unchanged
/// through padding, so a left-padded history starts from zero at its first real item. The
/// unrolled form keeps that exactly: each step computes the new state and `Where(mask, new,
/// old)` keeps the old one at padding. maxlen steps of about a dozen nodes each.
extension GraphTranslation {
  /// Step `t` of a `[B, T, F]` value, `[B, F]`.
  private mutating func step(_ value: String, _ t: Int, hint: String) -> String {
    onnx.apply(
      "Gather", [value, onnx.index(t)], [Attribute.int("axis", 1)],
      name: hint)
  }

  /// Whether step `t` of each row is real, `[B, 1]` booleans, from a `[B, T]` float mask.
  private mutating func realStep(_ mask: String, _ t: Int, hint: String) -> String {
    let column = onnx.apply(
      "Slice", [mask, onnx.integers([t]), onnx.integers([t + 1]), onnx.integers([1])], name: hint)
    return onnx.apply("Greater", [column, onnx.scalar(0)], name: hint)
  }

  /// Columns `start..<start+length` of the last axis.
  private mutating func columns(_ value: String, _ start: Int, _ length: Int, hint: String) -> String {
    onnx.apply(
      "Slice", [value, onnx.integers([start]), onnx.integers([start + length]), onnx.integers([-1])], name: hint)
  }

  /// A zero `[B, width]` state with the batch of a `[B, T, F]` value.
  private mutating func zeroState(like value: String, width: Int, hint: String) -> String {
    let first = columns(step(value, 0, hint: hint), 0, width, hint: hint)
    return onnx.apply("Mul", [first, onnx.scalar(0)], name: hint)
  }

  /// Stacks `[B, F]` steps into `[B, T, F]`.
  private mutating func stack(_ steps: [String], hint: String) -> String {
    let columns = steps.map { onnx.apply("Unsqueeze", [$0, onnx.integers([1])], name: hint) }
    return columns.count == 1 ? columns[0] : onnx.apply("Concat", columns, [Attribute.int("axis", 1)], name: hint)
  }

  /// `GRUScan`: inputs xproj `[B, T, 3H]`, W_hh `[H, 3H]`, b_hh `[3H]`, mask `[B, T]`; gate
  /// order r, z, n; h_t = n + z ⊙ (h_{t−1} − n), the form Loom's op computes.
  mutating func gruScan(_ node: Node, _ x: [String], _ s: [Shape], hint: String) -> String {
    let (steps, h) = (s[0][1], s[0][2] / 3)
    var state = zeroState(like: x[0], width: h, hint: hint)
    var outputs: [String] = []
    for t in 0..<steps {
      let input = step(x[0], t, hint: hint)
      let recurrent = onnx.apply(
        "Add", [onnx.apply("MatMul", [state, x[1]], name: hint), x[2]], name: hint)
      let rz = onnx.apply(
        "Sigmoid",
        [onnx.apply("Add", [columns(input, 0, 2 * h, hint: hint), columns(recurrent, 0, 2 * h, hint: hint)], name: hint)],
        name: hint)
      let (r, z) = (columns(rz, 0, h, hint: hint), columns(rz, h, h, hint: hint))
      let gated = onnx.apply("Mul", [r, columns(recurrent, 2 * h, h, hint: hint)], name: hint)
      let n = onnx.apply("Tanh", [onnx.apply("Add", [columns(input, 2 * h, h, hint: hint), gated], name: hint)], name: hint)
      let carried = onnx.apply("Mul", [z, onnx.apply("Sub", [state, n], name: hint)], name: hint)
      let next = onnx.apply("Add", [n, carried], name: hint)
      state = onnx.apply("Where", [realStep(x[3], t, hint: hint), next, state], name: hint)
      outputs.append(state)
    }
    return stack(outputs, hint: hint)
  }

  /// `MemoryScan` (MFN4Rec §3.3, eq. 9): u_t = g1_t ⊙ u_{t−1} + g2_t ⊙ c_t, u_0 = 0, the state
  /// held at padding steps. Inputs g1, g2, c `[B, T, M]`, mask `[B, T]`.
  mutating func memoryScan(_ node: Node, _ x: [String], _ s: [Shape], hint: String) -> String {
    let (steps, m) = (s[0][1], s[0][2])
    var state = zeroState(like: x[0], width: m, hint: hint)
    var outputs: [String] = []
    for t in 0..<steps {
      let kept = onnx.apply("Mul", [step(x[0], t, hint: hint), state], name: hint)
      let written = onnx.apply("Mul", [step(x[1], t, hint: hint), step(x[2], t, hint: hint)], name: hint)
      let next = onnx.apply("Add", [kept, written], name: hint)
      state = onnx.apply("Where", [realStep(x[3], t, hint: hint), next, state], name: hint)
      outputs.append(state)
    }
    return stack(outputs, hint: hint)
  }
}
