/// Why a model folder, a safetensors file or a tokenizer could not be used. Every error names the
/// file it is about and says what to do; `kind` lets tests and callers tell the cases apart without
/// reading the wording.
public struct EncoderError: Error, Equatable, Sendable, CustomStringConvertible {
  public enum Kind: String, Equatable, Sendable {
    /// The model folder, or a file it needs, is not there.
    case missingFile
    /// A JSON or vocabulary file could not be read as the format it should have.
    case badConfig
    /// The folder holds a model this encoder does not implement (not BERT, another pooling...).
    case unsupported
    /// The safetensors file is shorter than its header says.
    case truncated
    /// The safetensors header contradicts itself or the file (sizes, offsets, overlaps).
    case badSafeTensors
    /// A weight the model needs is not in model.safetensors.
    case missingTensor
    /// A weight has a shape other than config.json implies.
    case wrongShape
    /// A tensor is stored in a data type that cannot be read as Float32.
    case unsupportedDType
    /// A call's argument is out of range (a batch size of 0, a token id past the vocabulary).
    case badArgument
  }

  public var kind: Kind
  /// The file (or folder) the error is about.
  public var file: String
  public var message: String
  public var help: String?

  public init(_ kind: Kind, file: String, _ message: String, help: String? = nil) {
    self.kind = kind
    self.file = file
    self.message = message
    self.help = help
  }

  public var description: String {
    var text = "\(file): \(message)"
    if let help { text += "\n  help: \(help)" }
    return text
  }
}
