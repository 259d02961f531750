import LoomRec

/// `encode(model: DIR)`: a sentence-transformers model folder as a feature source, for
/// `load(path, features: {text: encode(model: DIR)})`. Nothing is read until `load` encodes
/// the data set's item texts with it.
public struct TextEncoderValue: HostValue {
  public let model: String

  public var typeName: String { "encoder" }
  public var description: String { "encode(model: \"\(model)\")" }
  public var fieldNames: [String] { ["model"] }
  public func field(_ name: String) throws -> Value? { name == "model" ? .string(model) : nil }
  public var source: FeatureSource { .sentenceEncoder(model: model) }
}
