import Foundation

/// The bytes of a checkpoint, version 1 (layout in `Checkpoint`'s doc comment).
extension Checkpoint {
  static let magic: [UInt8] = Array("LOOMCKPT".utf8)
  /// Magic, version, header length, payload length.
  static let prefixLength = 24
  static let checksumLength = 4

  /// The JSON header: everything but the numbers.
  private struct Header: Codable {
    struct Entry: Codable {
      var name: String
      var shape: [Int]
    }
    var modelSource: String
    var modelCall: String
    var dataName: String
    var itemCount: Int
    var epoch: Int
    var optimizerStep: Int
    var bestEpoch: Int?
    var metadata: [String: String]
    var parameters: [Entry]
  }

  /// The file's bytes; `file` names the checkpoint in errors.
  public func encoded(file: String = "checkpoint") throws -> [UInt8] {
    for state in parameters { try state.checkCounts(file: file) }
    let header = Header(
      modelSource: modelSource, modelCall: modelCall, dataName: dataName, itemCount: itemCount, epoch: epoch,
      optimizerStep: optimizerStep, bestEpoch: bestEpoch, metadata: metadata,
      parameters: parameters.map { Header.Entry(name: $0.name, shape: $0.shape) })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let json = [UInt8](try encoder.encode(header))
    let floats = parameters.reduce(0) { $0 + 3 * $1.count }
    let payloadStart = Self.prefixLength + json.count
    let checksumStart = payloadStart + 4 * floats
    var bytes = [UInt8](repeating: 0, count: checksumStart + Self.checksumLength)
    bytes.withUnsafeMutableBytes { raw in
      raw.copyBytes(from: Self.magic)
      raw.storeBytes(of: UInt32(Self.currentVersion).littleEndian, toByteOffset: 8, as: UInt32.self)
      raw.storeBytes(of: UInt32(json.count).littleEndian, toByteOffset: 12, as: UInt32.self)
      raw.storeBytes(of: UInt64(4 * floats).littleEndian, toByteOffset: 16, as: UInt64.self)
      UnsafeMutableRawBufferPointer(rebasing: raw[Self.prefixLength..<payloadStart]).copyBytes(from: json)
      var offset = payloadStart
      for state in parameters {
        for array in [state.values, state.moment1, state.moment2] {
          for value in array {
            raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: offset, as: UInt32.self)
            offset += 4
          }
        }
      }
      let checksum = CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<checksumStart]))
      raw.storeBytes(of: checksum.littleEndian, toByteOffset: checksumStart, as: UInt32.self)
    }
    return bytes
  }

  /// Decodes and checks the bytes of a checkpoint file; `file` names it in errors.
  public init(decoding bytes: [UInt8], file: String = "checkpoint") throws {
    self = try bytes.withUnsafeBytes { try Self.decode($0, file: file) }
  }

  private static func decode(_ raw: UnsafeRawBufferPointer, file: String) throws -> Checkpoint {
    let size = raw.count
    func error(_ kind: CheckpointError.Kind, _ message: String, help: String?) -> CheckpointError {
      CheckpointError(kind, file: file, message, help: help)
    }
    func uint32(_ offset: Int) -> UInt32 { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    let incomplete = "the file was cut off while being written or copied; copy it again or use an earlier checkpoint"
    let seen = min(size, magic.count)
    guard raw.prefix(seen).elementsEqual(magic.prefix(seen)) else {
      throw error(
        .notACheckpoint, "not a Loom checkpoint: the file does not start with \"LOOMCKPT\"",
        help: "pass a file written by save(model, path)")
    }
    guard size >= 12 else {
      throw error(.truncated, "the file is truncated: it has only \(size) bytes", help: incomplete)
    }
    let version = Int(uint32(8))
    guard version == currentVersion else {
      throw error(
        .unsupportedVersion, "checkpoint format version \(version) is not supported; this Loom reads version \(currentVersion)",
        help: version > currentVersion
          ? "it was written by a newer Loom; update Loom to read it" : "open it with the Loom that wrote it")
    }
    guard size >= prefixLength else {
      throw error(.truncated, "the file is truncated: it has only \(size) bytes", help: incomplete)
    }
    let headerLength = Int(uint32(12))
    let payloadLength = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
    let fixed = UInt64(prefixLength + headerLength + checksumLength)
    let (expected, overflow) = fixed.addingReportingOverflow(payloadLength)
    guard !overflow, expected <= UInt64(size) else {
      throw error(
        .truncated, "the file is truncated: it has \(size) bytes, the checkpoint needs \(overflow ? "more" : "\(expected)")",
        help: incomplete)
    }
    guard expected == UInt64(size) else {
      throw error(
        .trailingBytes, "the file has \(UInt64(size) - expected) bytes after the end of the checkpoint",
        help: "the file was changed after it was written; use an intact copy or an earlier checkpoint")
    }
    let checksumStart = size - checksumLength
    let stored = uint32(checksumStart)
    let computed = CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<checksumStart]))
    guard stored == computed else {
      throw error(
        .checksumMismatch,
        "the file is corrupted: checksum \(hex(stored)) expected (stored in the file), got \(hex(computed))",
        help: "use an intact copy or an earlier checkpoint; this file cannot be trusted")
    }
    let payloadStart = prefixLength + headerLength
    let header: Header
    do {
      header = try JSONDecoder().decode(Header.self, from: Data(raw[prefixLength..<payloadStart]))
    } catch let problem {
      throw error(
        .headerUnreadable, "the checkpoint's header cannot be read: \(problem)",
        help: "the file was not written by save(model, path) of this Loom")
    }
    var floats = 0
    for entry in header.parameters {
      var count = 1
      for dim in entry.shape {
        let (product, overflow) = count.multipliedReportingOverflow(by: dim)
        guard dim >= 0, !overflow else {
          throw error(.headerUnreadable, "parameter '\(entry.name)' has an impossible shape \(entry.shape)", help: nil)
        }
        count = product
      }
      guard count <= size, floats + 3 * count <= size else {
        throw error(
          .headerUnreadable, "the header lists more numbers than the file holds (parameter '\(entry.name)' \(entry.shape))",
          help: "the file was not written by save(model, path) of this Loom")
      }
      floats += 3 * count
    }
    guard UInt64(4 * floats) == payloadLength else {
      throw error(
        .headerUnreadable, "the header lists \(floats) numbers but the payload holds \(payloadLength) bytes",
        help: "the file was not written by save(model, path) of this Loom")
    }
    guard Set(header.parameters.map(\.name)).count == header.parameters.count else {
      throw error(.headerUnreadable, "the header names a parameter twice", help: nil)
    }
    var offset = payloadStart
    func readFloats(_ count: Int) -> [Float] {
      defer { offset += 4 * count }
      return (0..<count).map { Float(bitPattern: uint32(offset + 4 * $0)) }
    }
    let states = header.parameters.map { entry -> ParameterState in
      let count = entry.shape.reduce(1, *)
      return ParameterState(
        name: entry.name, shape: entry.shape, values: readFloats(count), moment1: readFloats(count),
        moment2: readFloats(count))
    }
    var checkpoint = Checkpoint(
      modelSource: header.modelSource, modelCall: header.modelCall, dataName: header.dataName,
      itemCount: header.itemCount, epoch: header.epoch, optimizerStep: header.optimizerStep,
      bestEpoch: header.bestEpoch, metadata: header.metadata, parameters: states)
    checkpoint.formatVersion = version
    return checkpoint
  }

  private static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
  }
}
