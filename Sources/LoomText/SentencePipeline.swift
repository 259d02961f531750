/// How token vectors become one sentence vector: sentence-transformers' modules.json lists the
/// modules in order — a Transformer, a Pooling (config in its folder), optionally Normalize.
public struct SentencePipeline: Equatable, Sendable {
  /// Pooling over the tokens that are not padding (Reimers & Gurevych 2019, §3).
  public enum Pooling: String, Equatable, Sendable {
    /// mean over the sequence's tokens, [CLS] and [SEP] included: Σ_t h_t / L
    case mean
    /// the first token's vector ([CLS])
    case cls
    /// the largest value of each feature over the tokens
    case max
  }

  public var pooling: Pooling
  /// Divide each sentence vector by its L2 norm (a Normalize module).
  public var normalize: Bool

  public init(pooling: Pooling = .mean, normalize: Bool = false) {
    self.pooling = pooling
    self.normalize = normalize
  }

  static let help = "a sentence-transformers folder has modules.json listing Transformer, Pooling and optionally Normalize"

  /// Reads modules.json and the Pooling module's config.json.
  public init(modelDirectory: String) throws {
    let modulesPath = ModelFiles.path(modelDirectory, "modules.json")
    let modules = try ModelFiles.objects(SentenceTransformerModule.self, at: modulesPath, help: Self.help)
    var pooling: Pooling?
    var normalize = false
    var sawTransformer = false
    for module in modules {
      let type = try module.type.value ?? ""
      switch type.split(separator: ".").last.map(String.init) ?? "" {
      case "Transformer":
        sawTransformer = true
      case "Pooling":
        let folder = ModelFiles.path(modelDirectory, try module.path.value ?? "")
        pooling = try Self.pooling(configFile: ModelFiles.path(folder, "config.json"))
      case "Normalize":
        normalize = true
      default:
        throw EncoderError(
          .unsupported, file: modulesPath, "has the module \(type), which this encoder does not implement",
          help: "supported: Transformer (BERT), Pooling (mean, cls or max) and Normalize")
      }
    }
    guard sawTransformer, let pooling else {
      throw EncoderError(.badConfig, file: modulesPath, "does not list both a Transformer and a Pooling module", help: Self.help)
    }
    self.init(pooling: pooling, normalize: normalize)
  }

  private static func pooling(configFile: String) throws -> Pooling {
    let config = try ModelFiles.object(PoolingConfigFile.self, at: configFile, help: help)
    if let mode = try config.mode.value {
      guard let pooling = Pooling(rawValue: mode) else {
        throw EncoderError(
          .unsupported, file: configFile, "pooling_mode \"\(mode)\" is not supported", help: "supported: mean, cls, max")
      }
      return pooling
    }
    let known: [(flag: Setting<Bool>, pooling: Pooling?)] = [
      (config.meanTokens, .mean), (config.classToken, .cls), (config.maxTokens, .max),
      (config.meanSquareRootLengthTokens, nil), (config.weightedMeanTokens, nil), (config.lastToken, nil),
    ]
    let chosen = try known.filter { try $0.flag.value == true }
    guard chosen.count == 1, let pooling = chosen[0].pooling else {
      throw EncoderError(
        .unsupported, file: configFile,
        chosen.isEmpty ? "chooses no pooling mode" : "chooses \(chosen.map(\.flag.key).joined(separator: " + "))",
        help: "exactly one of pooling_mode_mean_tokens, pooling_mode_cls_token, pooling_mode_max_tokens is implemented")
    }
    return pooling
  }
}
