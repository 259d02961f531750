import Foundation

/// Where one named dense item feature table comes from (`load(..., features: {NAME: SOURCE})`).
public enum FeatureSource: Sendable, Equatable, CustomStringConvertible {
  /// A float_seq column of the .item file.
  case column(String)
  /// A NumPy .npy file [items, d]. Rows are matched to items by `ids`, a text file with one raw
  /// item id per line; when nil, a file beside the .npy with the same stem and extension `.ids`
  /// or `.txt` is used if present, else the data set's own item order (the .item file's rows,
  /// or `NAME.item2index` in a pre-split folder).
  case npy(path: String, ids: String?)
  /// Raw little-endian float32 values with no header (UniSRec's and MISSRec's `.feat1CLS`,
  /// `.feat3CLS`): the width is the file's size / 4 / the number of ids; rows are matched to
  /// items as for `.npy`.
  case rawFloat32(path: String, ids: String?)
  /// Latent coordinates of the item–entity matrix from .link and .kg (truncated SVD).
  case knowledgeGraph(rank: Int)
  /// Each item's text (the `.text` file of a pre-split folder, else the `text:` columns joined
  /// by spaces) encoded by a sentence-transformers model folder of the BERT family, natively
  /// (`LoomText.SentenceEncoder`); items without text lack the modality.
  case sentenceEncoder(model: String)

  /// Where `bash Examples/get-minilm.sh` puts all-MiniLM-L6-v2, relative to the package root.
  public static let defaultEncoderModel = "models/all-MiniLM-L6-v2"

  public static let defaultGraphRank = 64

  /// Reads the form the language uses: "kg" or "kg:32"; a path ending in ".npy"; a path to an
  /// existing file (relative to `directory` or as given), read as raw float32; anything that
  /// looks like a file name (a "/" or an extension) but names no file is still taken as a raw
  /// file so that loading reports it missing; else a float_seq column of the .item file.
  public init(_ text: String, directory: String? = nil) {
    if text == "kg" {
      self = .knowledgeGraph(rank: Self.defaultGraphRank)
    } else if text.hasPrefix("kg:"), let rank = Int(text.dropFirst(3)) {
      self = .knowledgeGraph(rank: rank)
    } else if text.lowercased().hasSuffix(".npy") {
      self = .npy(path: text, ids: nil)
    } else if Self.namesFile(text, directory: directory) || text.contains("/") || text.contains(".") {
      self = .rawFloat32(path: text, ids: nil)
    } else {
      self = .column(text)
    }
  }

  private static func namesFile(_ text: String, directory: String?) -> Bool {
    var isDirectory: ObjCBool = false
    let candidates = [text] + (directory.map { ["\($0)/\(text)"] } ?? [])
    return candidates.contains { FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue }
  }

  public var description: String {
    switch self {
    case .column(let name): return "column \(name)"
    case .npy(let path, let ids), .rawFloat32(let path, let ids): return ids.map { "\(path) (ids \($0))" } ?? path
    case .knowledgeGraph(let rank): return "kg (rank \(rank))"
    case .sentenceEncoder(let model): return "sentence encoder \(model)"
    }
  }
}
