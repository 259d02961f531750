import LoomTensor

/// Adam with bias correction (Kingma & Ba 2015), coupled L2 weight decay and optional clipping
/// by global norm.
///
///   g ← clip(g) + λθ,  m ← β1 m + (1 − β1) g,  v ← β2 v + (1 − β2) g²,
///   θ ← θ − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
///
/// The coupled decay λθ is the gradient of (λ/2)‖θ‖², the papers' L2 term (MIN eq. 3), and is
/// what PyTorch's `Adam(weight_decay=λ)` does. Moments live in each `Parameter`, so a
/// checkpoint of the parameters plus `step` resumes exactly.
public final class Adam: @unchecked Sendable {
  public var learningRate: Float
  public var beta1: Float = 0.9
  public var beta2: Float = 0.999
  public var epsilon: Float = 1e-8
  public var weightDecay: Float
  /// Rescale all gradients together when their global L2 norm exceeds this.
  public var clipNorm: Float?
  /// Updates done so far (t in the bias corrections).
  public var step = 0

  public init(learningRate: Float = 1e-3, weightDecay: Float = 0, clipNorm: Float? = nil) {
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.clipNorm = clipNorm
  }

  /// The global gradient norm √(Σ‖g‖²) over these parameters.
  public static func gradientNorm(_ parameters: [Parameter]) -> Float {
    Float(parameters.reduce(0.0) { $0 + Kernels.sumOfSquares($1.grad.pointer, $1.count) }.squareRoot())
  }

  public func update(_ parameters: [Parameter]) {
    step += 1
    var scale: Float = 1
    if let clipNorm {
      let norm = Self.gradientNorm(parameters)
      if norm > clipNorm { scale = clipNorm / norm }
    }
    let stepSize = learningRate / (1 - pow(beta1, Float(step)))
    let correction2 = 1 / (1 - pow(beta2, Float(step)))
    let (b1, b2, eps) = (beta1, beta2, epsilon)
    for p in parameters where p.trainable {
      let (theta, g, m, v) = (p.value.pointer, p.grad.pointer, p.moment1.pointer, p.moment2.pointer)
      let decay = p.decays ? weightDecay : 0
      for i in 0..<p.count {
        let gi = g[i] * scale + decay * theta[i]
        m[i] = b1 * m[i] + (1 - b1) * gi
        v[i] = b2 * v[i] + (1 - b2) * gi * gi
        theta[i] -= stepSize * m[i] / ((v[i] * correction2).squareRoot() + eps)
      }
    }
  }
}

#if canImport(Glibc)
  import Glibc
#endif
