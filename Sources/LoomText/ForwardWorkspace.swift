/// The scratch buffers of BERT's forward pass, grown to the largest batch seen and then reused:
/// encoding sorts texts longest first, so the first batch sizes them and later batches allocate
/// nothing. Raw pointers, bound once per pass, keep hot loops off class-held arrays.
/// Shapes for T tokens (all sequences of a batch, packed): D = hidden size, I = feed-forward size.
final class ForwardWorkspace {
  private(set) var tokenCapacity = 0
  private(set) var lengthCapacity = 0
  /// [T, D]: the token vectors, updated layer by layer.
  private(set) var hidden = UnsafeMutablePointer<Float>.allocate(capacity: 1)
  /// [T, 3D]: queries, keys and values, side by side in each row.
  private(set) var qkv = UnsafeMutablePointer<Float>.allocate(capacity: 1)
  /// [T, D]: the attention heads' outputs, concatenated.
  private(set) var context = UnsafeMutablePointer<Float>.allocate(capacity: 1)
  /// [T, D]: a sublayer's product before add & norm.
  private(set) var projected = UnsafeMutablePointer<Float>.allocate(capacity: 1)
  /// [T, I]: the feed-forward block's inner activations.
  private(set) var intermediate = UnsafeMutablePointer<Float>.allocate(capacity: 1)
  /// [L, L] scores of one head and an L-float row buffer, L the longest sequence.
  private(set) var scores = UnsafeMutablePointer<Float>.allocate(capacity: 1)
  private(set) var rowBuffer = UnsafeMutablePointer<Float>.allocate(capacity: 1)

  let hiddenSize: Int
  let intermediateSize: Int

  init(hiddenSize: Int, intermediateSize: Int) {
    self.hiddenSize = hiddenSize
    self.intermediateSize = intermediateSize
  }

  /// Makes room for `tokens` packed tokens whose longest sequence has `longest` tokens.
  func reserve(tokens: Int, longest: Int) {
    if tokens > tokenCapacity {
      for p in [hidden, qkv, context, projected, intermediate] { p.deallocate() }
      hidden = .allocate(capacity: tokens * hiddenSize)
      qkv = .allocate(capacity: tokens * 3 * hiddenSize)
      context = .allocate(capacity: tokens * hiddenSize)
      projected = .allocate(capacity: tokens * hiddenSize)
      intermediate = .allocate(capacity: tokens * intermediateSize)
      tokenCapacity = tokens
    }
    if longest > lengthCapacity {
      scores.deallocate()
      rowBuffer.deallocate()
      scores = .allocate(capacity: longest * longest)
      rowBuffer = .allocate(capacity: longest)
      lengthCapacity = longest
    }
  }

  deinit {
    for p in [hidden, qkv, context, projected, intermediate, scores, rowBuffer] { p.deallocate() }
  }
}
