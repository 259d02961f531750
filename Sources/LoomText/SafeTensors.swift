import Foundation

/// A safetensors file (format: huggingface/safetensors README): 8 bytes of little-endian u64 N,
/// N bytes of UTF-8 JSON mapping each tensor's name to `{"dtype", "shape", "data_offsets":
/// [begin, end]}` (offsets from the first byte after the header; an optional `__metadata__`
/// object of strings), then the raw little-endian data.
///
/// Opening checks the whole header against the file, so a lying or truncated file fails at once
/// with the tensor named: an offset past the end, a byte count other than
/// product(shape) · size(dtype), two tensors sharing bytes. `floats` reads F32, F16, BF16 and F64
/// as Float32.
public struct SafeTensors: Sendable {
  /// The data types of the format, with their sizes in bytes.
  public enum DType: String, Sendable, CaseIterable {
    case bool = "BOOL"
    case u8 = "U8"
    case i8 = "I8"
    case f8e5m2 = "F8_E5M2"
    case f8e4m3 = "F8_E4M3"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case i64 = "I64"
    case u64 = "U64"
    case f64 = "F64"

    public var size: Int {
      switch self {
      case .bool, .u8, .i8, .f8e5m2, .f8e4m3: return 1
      case .i16, .u16, .f16, .bf16: return 2
      case .i32, .u32, .f32: return 4
      case .i64, .u64, .f64: return 8
      }
    }
  }

  public struct TensorInfo: Equatable, Sendable {
    public var name: String
    public var dtype: DType
    public var shape: [Int]
    /// Where the tensor's bytes are, counted from the start of the file.
    public var bytes: Range<Int>
    public var count: Int { shape.reduce(1, *) }
  }

  public let file: String
  public let tensors: [String: TensorInfo]
  private let data: Data

  /// Opens a file (memory-mapped) and checks its header.
  public init(contentsOf path: String) throws {
    guard FileManager.default.fileExists(atPath: path) else {
      throw EncoderError(.missingFile, file: path, "no such safetensors file")
    }
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    } catch {
      throw EncoderError(.missingFile, file: path, "cannot be read: \(error.localizedDescription)")
    }
    try self.init(data: data, file: path)
  }

  /// Reads a file's bytes already in memory; `file` names it in errors.
  public init(data: Data, file: String) throws {
    self.file = file
    self.data = data
    self.tensors = try Self.parseHeader(data, file: file)
  }

  /// A tensor's values as Float32, row-major; `shape`, when given, must match the stored one.
  public func floats(_ name: String, shape expected: [Int]? = nil) throws -> [Float] {
    guard let info = tensors[name] else {
      throw EncoderError(
        .missingTensor, file: file, "has no tensor \"\(name)\"",
        help: "the weights do not fit config.json: is this a BERT model saved by transformers?")
    }
    if let expected, expected != info.shape {
      throw EncoderError(
        .wrongShape, file: file, "tensor \"\(name)\" has shape \(info.shape), config.json implies \(expected)")
    }
    let count = info.count
    return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Float] in
      let base = raw.baseAddress.map { UnsafeRawPointer($0) + info.bytes.lowerBound }
      guard let base else { return [] }
      switch info.dtype {
      case .f32:
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
          for i in 0..<count {
            buffer[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
          }
          initialized = count
        }
      case .f16:
        return (0..<count).map {
          Float(Float16(bitPattern: UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))))
        }
      case .bf16:
        // bfloat16 is the top half of a Float32.
        return (0..<count).map {
          Float(bitPattern: UInt32(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) << 16)
        }
      case .f64:
        return (0..<count).map {
          Float(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self))))
        }
      default:
        throw EncoderError(
          .unsupportedDType, file: file,
          "tensor \"\(name)\" is \(info.dtype.rawValue); only F32, F16, BF16 and F64 can be read as Float32")
      }
    }
  }

  /// The largest header accepted (the format's own reader stops at 100 MB).
  static let maxHeaderLength = 100_000_000

  /// A list of numbers as Ints cut towards zero, nil if any is not a number that fits.
  private static func integers(_ values: [JSONValue]) -> [Int]? {
    let integers = values.compactMap(\.truncatedInteger)
    return integers.count == values.count ? integers : nil
  }

  private static func parseHeader(_ data: Data, file: String) throws -> [String: TensorInfo] {
    guard data.count >= 8 else {
      throw EncoderError(.truncated, file: file, "is \(data.count) bytes long, shorter than the 8-byte header length")
    }
    let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    guard headerLength <= UInt64(maxHeaderLength) else {
      throw EncoderError(
        .badSafeTensors, file: file,
        "declares a \(headerLength)-byte header, more than the format allows: is it a safetensors file?")
    }
    let dataStart = 8 + Int(headerLength)
    guard dataStart <= data.count else {
      throw EncoderError(
        .truncated, file: file,
        "declares a \(headerLength)-byte header but has only \(data.count - 8) bytes after the length: the file is truncated")
    }
    let headerBytes = data.subdata(in: (data.startIndex + 8)..<(data.startIndex + dataStart))
    guard let header = try? JSONDecoder().decode([String: JSONValue].self, from: headerBytes) else {
      throw EncoderError(.badSafeTensors, file: file, "its header is not a JSON object")
    }
    let dataLength = data.count - dataStart
    var tensors: [String: TensorInfo] = [:]
    for (name, value) in header where name != "__metadata__" {
      guard let entry = value.object, let dtypeName = entry["dtype"]?.string,
        let shape = entry["shape"]?.array.flatMap(Self.integers),
        let offsets = entry["data_offsets"]?.array.flatMap(Self.integers),
        offsets.count == 2
      else {
        throw EncoderError(.badSafeTensors, file: file, "tensor \"\(name)\" lacks dtype, shape or a pair of data_offsets")
      }
      guard let dtype = DType(rawValue: dtypeName) else {
        throw EncoderError(.unsupportedDType, file: file, "tensor \"\(name)\" has the unknown dtype \(dtypeName)")
      }
      let begin = offsets[0]
      let end = offsets[1]
      guard shape.allSatisfy({ $0 >= 0 }), begin >= 0, begin <= end else {
        throw EncoderError(
          .badSafeTensors, file: file,
          "tensor \"\(name)\" has shape \(shape) and data_offsets [\(begin), \(end)]: negative or reversed")
      }
      guard end <= dataLength else {
        throw EncoderError(
          .truncated, file: file,
          "tensor \"\(name)\" ends at data byte \(end) but the file has \(dataLength) data bytes: the file is truncated or its header is wrong"
        )
      }
      var expected = dtype.size
      for d in shape {
        let (product, overflow) = expected.multipliedReportingOverflow(by: d)
        guard !overflow else {
          throw EncoderError(.badSafeTensors, file: file, "tensor \"\(name)\" has an impossible shape \(shape)")
        }
        expected = product
      }
      guard end - begin == expected else {
        throw EncoderError(
          .badSafeTensors, file: file,
          "tensor \"\(name)\" (\(dtype.rawValue) \(shape)) needs \(expected) bytes but its data_offsets span \(end - begin)")
      }
      tensors[name] = TensorInfo(name: name, dtype: dtype, shape: shape, bytes: (dataStart + begin)..<(dataStart + end))
    }
    let ordered = tensors.values.filter { !$0.bytes.isEmpty }.sorted { $0.bytes.lowerBound < $1.bytes.lowerBound }
    for (a, b) in zip(ordered, ordered.dropFirst()) where b.bytes.lowerBound < a.bytes.upperBound {
      throw EncoderError(
        .badSafeTensors, file: file, "tensors \"\(a.name)\" and \"\(b.name)\" share bytes: the header's data_offsets overlap")
    }
    return tensors
  }
}
