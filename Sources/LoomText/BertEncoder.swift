import LoomTensor

/// BERT's encoder (Devlin et al. 2019; transformers' `BertModel`) on OpenBLAS, run on a batch of
/// token sequences packed one after another: T = Σ L_s rows, no padding rows at all. This is
/// padding plus an attention mask taken to its limit — a masked key gets weight e^{−∞} = 0, so
/// attending only within each sequence gives the same numbers, and the dense layers (nearly all
/// the work) run on T rows instead of B · max L.
///
/// Per layer, post-LN as in BERT, shapes [T, D]:
///   Q, K, V = x W_qᵀ + b_q, x W_kᵀ + b_k, x W_vᵀ + b_v          (one [T, D] × [D, 3D] product)
///   head_h(s) = softmax(Q_h K_hᵀ / √d_h) V_h                   (per sequence s and head h)
///   x = LayerNorm(x + concat_h(head_h) W_oᵀ + b_o)
///   x = LayerNorm(x + GELU(x W_1ᵀ + b_1) W_2ᵀ + b_2)
/// after the embeddings x_t = LayerNorm(word[id_t] + position[t] + tokenType[0]).
struct BertEncoder: Sendable {
  let config: BertConfiguration
  let weights: BertWeights

  /// Runs the encoder on `sequences` (token ids, each at most `config.maxPositions` long and
  /// non-empty) and leaves the final token vectors in `workspace.hidden`, sequence after sequence.
  func forward(_ sequences: [[Int32]], workspace w: ForwardWorkspace) {
    let d = config.hiddenSize
    let inner = config.intermediateSize
    let tokens = sequences.reduce(0) { $0 + $1.count }
    let longest = sequences.map(\.count).max() ?? 0
    w.reserve(tokens: tokens, longest: longest)
    embed(sequences, into: w.hidden)
    for layer in weights.layers {
      linear(w.hidden, rows: tokens, inputs: d, weight: layer.qkv, bias: layer.qkvBias, outputs: 3 * d, into: w.qkv)
      attend(sequences, workspace: w)
      linear(w.context, rows: tokens, inputs: d, weight: layer.attentionOutput, outputs: d, into: w.projected)
      addAndNorm(w.projected, bias: layer.attentionOutputBias, norm: layer.attentionNorm, into: w.hidden, rows: tokens)
      linear(w.hidden, rows: tokens, inputs: d, weight: layer.intermediate, outputs: inner, into: w.intermediate)
      TextKernels.addBiasGELU(w.intermediate, rows: tokens, cols: inner, bias: layer.intermediateBias.base)
      linear(w.intermediate, rows: tokens, inputs: inner, weight: layer.output, outputs: d, into: w.projected)
      addAndNorm(w.projected, bias: layer.outputBias, norm: layer.outputNorm, into: w.hidden, rows: tokens)
    }
  }

  private func embed(_ sequences: [[Int32]], into x: UnsafeMutablePointer<Float>) {
    let d = config.hiddenSize
    let word = weights.wordEmbeddings.base
    let position = weights.positionEmbeddings.base
    let type = weights.tokenTypeEmbeddings.base
    let norm = weights.embeddingNorm
    var t = 0
    for ids in sequences {
      for (p, id) in ids.enumerated() {
        let row = x + t * d
        let w = word + Int(id) * d
        let pos = position + p * d
        for j in 0..<d { row[j] = w[j] + pos[j] + type[j] }
        TextKernels.layerNorm(row, d, gamma: norm.gamma.base, beta: norm.beta.base, epsilon: config.layerNormEpsilon, into: row)
        t += 1
      }
    }
  }

  /// y = x Wᵀ (+ b), W stored [outputs, inputs] as PyTorch keeps it; the bias rides in C with
  /// beta = 1.
  private func linear(
    _ x: UnsafePointer<Float>, rows: Int, inputs: Int, weight: FloatBuffer, bias: FloatBuffer? = nil, outputs: Int,
    into y: UnsafeMutablePointer<Float>
  ) {
    if let bias {
      for r in 0..<rows { (y + r * outputs).update(from: bias.base, count: outputs) }
    }
    BLAS.gemm(
      transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, a: x, lda: inputs, b: weight.base,
      ldb: inputs, beta: bias == nil ? 0 : 1, c: y, ldc: outputs)
  }

  /// Scaled dot-product attention of every head within each sequence: two small products per
  /// (sequence, head), read straight out of the packed [T, 3D] rows through leading dimensions.
  private func attend(_ sequences: [[Int32]], workspace w: ForwardWorkspace) {
    let d = config.hiddenSize
    let dh = config.headSize
    let stride = 3 * d
    let scale = 1 / Float(dh).squareRoot()
    var start = 0
    for ids in sequences {
      let n = ids.count
      let rows = w.qkv + start * stride
      for h in 0..<config.heads {
        let q = rows + h * dh
        let k = rows + d + h * dh
        let v = rows + 2 * d + h * dh
        BLAS.gemm(
          transposeA: false, transposeB: true, m: n, n: n, k: dh, alpha: scale, a: q, lda: stride, b: k, ldb: stride,
          beta: 0, c: w.scores, ldc: n)
        for i in 0..<n { TextKernels.softmax(w.scores + i * n, n, buffer: w.rowBuffer) }
        BLAS.gemm(
          transposeA: false, transposeB: false, m: n, n: dh, k: n, a: w.scores, lda: n, b: v, ldb: stride, beta: 0,
          c: w.context + start * d + h * dh, ldc: d)
      }
      start += n
    }
  }

  private func addAndNorm(
    _ h: UnsafeMutablePointer<Float>, bias: FloatBuffer, norm: BertWeights.Norm, into x: UnsafeMutablePointer<Float>,
    rows: Int
  ) {
    TextKernels.addBiasResidualLayerNorm(
      h, bias: bias.base, residual: x, rows: rows, cols: config.hiddenSize, gamma: norm.gamma.base,
      beta: norm.beta.base, epsilon: config.layerNormEpsilon)
  }
}
