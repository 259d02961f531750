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
    let modules = try ModelFiles.jsonArray(modulesPath, help: Self.help)
    var pooling: Pooling?
    var normalize = false
    var sawTransformer = false
    for case let module as [String: Any] in modules {
      let fields = JSONFields(object: module, file: modulesPath)
      let type = try fields.string("type") ?? ""
      switch type.split(separator: ".").last.map(String.init) ?? "" {
      case "Transformer":
        sawTransformer = true
      case "Pooling":
        let folder = ModelFiles.path(modelDirectory, try fields.string("path") ?? "")
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
    let fields = JSONFields(object: try ModelFiles.jsonObject(configFile, help: help), file: configFile)
    if let mode = try fields.string("pooling_mode") {
      guard let pooling = Pooling(rawValue: mode) else {
        throw EncoderError(.unsupported, file: configFile, "pooling_mode \"\(mode)\" is not supported", help: "supported: mean, cls, max")
      }
      return pooling
    }
    let known: [(String, Pooling?)] = [
      ("pooling_mode_mean_tokens", .mean), ("pooling_mode_cls_token", .cls), ("pooling_mode_max_tokens", .max),
      ("pooling_mode_mean_sqrt_len_tokens", nil), ("pooling_mode_weightedmean_tokens", nil),
      ("pooling_mode_lasttoken", nil),
    ]
    let chosen = try known.filter { try fields.bool($0.0) == true }
    guard chosen.count == 1, let pooling = chosen[0].1 else {
      throw EncoderError(
        .unsupported, file: configFile,
        chosen.isEmpty ? "chooses no pooling mode" : "chooses \(chosen.map(\.0).joined(separator: " + "))",
        help: "exactly one of pooling_mode_mean_tokens, pooling_mode_cls_token, pooling_mode_max_tokens is implemented")
    }
    return pooling
  }
}
