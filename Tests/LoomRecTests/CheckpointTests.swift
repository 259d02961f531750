import Foundation
import LoomGraph
import LoomLayers
import Testing

@testable import LoomRec

/// embed(items, dim) -> gru(seq(.), hidden: dim) over `items` items, initialised from `seed`.
private func gruModel(items: Int = 20, dim: Int = 8, seed: UInt64) throws -> Recommender {
  let catalog = ItemCatalog(name: "t", itemCount: items)
  let id = try Embedding.node(ItemIDs.node(catalog), dim: dim)
  let model = try Recommender(user: try GRU.node(SequenceLift.node(id), hidden: dim), item: id)
  model.initialize(seed: seed)
  return model
}

/// Two left-padded sequences of length 4.
private let probe: [Int32] = [0, 1, 2, 3, 5, 6, 7, 8]

private func probeScores(_ model: Recommender) throws -> [Float] {
  try model.scores(inputs: probe, batch: 2, maxlen: 4)
}

/// Gives every moment a distinct value, as training would, so their round trip is visible.
private func fillMoments(_ model: Recommender) {
  for (k, entry) in model.parameters.enumerated() {
    let p = entry.weight.parameter
    for i in 0..<p.count {
      p.moment1.pointer[i] = Float(k) + Float(i) * 0.001
      p.moment2.pointer[i] = Float(i) * 1e-6
    }
  }
}

private func capture(_ model: Recommender) -> Checkpoint {
  Checkpoint(
    capturing: model, source: "def G(data) { ... }", call: "G(data, dim: 8)", dataName: "t", epoch: 4,
    optimizerStep: 17, bestEpoch: 3, metadata: ["seed": "3", "loss": "bce"])
}

private func checkpointError(_ body: () throws -> Void) -> CheckpointError? {
  do {
    try body()
    return nil
  } catch let error as CheckpointError {
    return error
  } catch {
    return nil
  }
}

private func freshDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("loomckpt-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

@Suite struct CheckpointTests {
  @Test func roundTripRestoresScoresMomentsAndStep() throws {
    let trained = try gruModel(seed: 3)
    fillMoments(trained)
    let expected = try probeScores(trained)
    let path = try freshDirectory().appendingPathComponent("g.ckpt").path
    try capture(trained).write(to: path)

    let restored = try gruModel(seed: 9)
    #expect(try probeScores(try gruModel(seed: 9)) != expected)
    let checkpoint = try Checkpoint.read(from: path)
    #expect(checkpoint == capture(trained))
    #expect(checkpoint.formatVersion == 1)
    #expect(checkpoint.modelCall == "G(data, dim: 8)")
    #expect(checkpoint.epoch == 4 && checkpoint.optimizerStep == 17 && checkpoint.bestEpoch == 3)
    #expect(checkpoint.metadata == ["seed": "3", "loss": "bce"])
    let adam = Adam()
    try checkpoint.apply(to: restored, optimizer: adam)
    #expect(try probeScores(restored) == expected)
    #expect(adam.step == 17)
    #expect(restored.trained)
    for (a, b) in zip(trained.parameters, restored.parameters) {
      let (p, q) = (a.weight.parameter, b.weight.parameter)
      for i in 0..<p.count {
        #expect(p.value.pointer[i].bitPattern == q.value.pointer[i].bitPattern)
        #expect(p.moment1.pointer[i] == q.moment1.pointer[i])
        #expect(p.moment2.pointer[i] == q.moment2.pointer[i])
      }
    }
  }

  @Test func layoutMatchesTheDocumentation() throws {
    let model = try gruModel(seed: 3)
    let checkpoint = capture(model)
    let bytes = try checkpoint.encoded()
    #expect(Array(bytes[0..<8]) == Array("LOOMCKPT".utf8))
    #expect(Array(bytes[8..<12]) == [1, 0, 0, 0])
    let headerLength = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
    let payloadLength = (16..<24).reduce(0) { $0 | Int(bytes[$1]) << (8 * ($1 - 16)) }
    // embed 21×8, GRU w_ih, w_hh and biases: 12 bytes per number (value and two moments).
    #expect(payloadLength == 12 * model.parameterCount)
    #expect(bytes.count == 24 + headerLength + payloadLength + 4)
    let header = try JSONSerialization.jsonObject(with: Data(bytes[24..<(24 + headerLength)])) as! [String: Any]
    #expect(header["itemCount"] as? Int == 20)
    #expect(header["modelCall"] as? String == "G(data, dim: 8)")
    let first = model.parameters[0].weight.parameter.value.pointer[0].bitPattern
    let start = 24 + headerLength
    #expect(Array(bytes[start..<(start + 4)]) == [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: first >> $0) })
    let stored = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[bytes.count - 4 + $1]) << (8 * $1) }
    #expect(stored == CRC32.checksum(bytes[0..<(bytes.count - 4)]))
  }

  @Test func emptyCheckpointHasTheHandComputedSize() throws {
    let checkpoint = Checkpoint(modelSource: "", modelCall: "", dataName: "d", itemCount: 0, parameters: [])
    let bytes = try checkpoint.encoded()
    let json =
      #"{"dataName":"d","epoch":0,"itemCount":0,"metadata":{},"modelCall":"","modelSource":"","optimizerStep":0,"parameters":[]}"#
    #expect(bytes.count == 24 + json.utf8.count + 0 + 4)
    #expect(String(decoding: bytes[24..<(24 + json.utf8.count)], as: UTF8.self) == json)
    #expect(try Checkpoint(decoding: bytes) == checkpoint)
  }

  @Test func everyFlippedByteAfterTheLengthsIsAChecksumError() throws {
    var bytes = try capture(try gruModel(seed: 3)).encoded()
    var kinds: [CheckpointError.Kind: Int] = [:]
    for offset in 24..<bytes.count {
      bytes[offset] ^= 0xFF
      let error = checkpointError { _ = try Checkpoint(decoding: bytes) }
      kinds[error?.kind ?? .cannotRead, default: 0] += 1
      bytes[offset] ^= 0xFF
    }
    #expect(kinds == [.checksumMismatch: bytes.count - 24])
  }

  @Test func flippedPayloadByteOnDiskIsRefusedWithBothChecksums() throws {
    let path = try freshDirectory().appendingPathComponent("g.ckpt").path
    try capture(try gruModel(seed: 3)).write(to: path)
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    let stored = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[bytes.count - 4 + $1]) << (8 * $1) }
    bytes[bytes.count - 100] ^= 0x10
    let computed = CRC32.checksum(bytes[0..<(bytes.count - 4)])
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let error = checkpointError { _ = try Checkpoint.read(from: path) }
    #expect(error?.kind == .checksumMismatch)
    func hex(_ v: UInt32) -> String {
      "0x" + String(repeating: "0", count: 8 - String(v, radix: 16).count) + String(v, radix: 16, uppercase: true)
    }
    #expect(
      error?.message == "the file is corrupted: checksum \(hex(stored)) expected (stored in the file), got \(hex(computed))")
    #expect(error?.file == "g.ckpt")
  }

  @Test func truncatedFilesAreRefused() throws {
    let bytes = try capture(try gruModel(seed: 3)).encoded()
    for length in [0, 5, 8, 11, 12, 23, 24, 100, bytes.count / 2, bytes.count - 4, bytes.count - 1] {
      let error = checkpointError { _ = try Checkpoint(decoding: Array(bytes[0..<length])) }
      #expect(error?.kind == .truncated, "length \(length)")
    }
    let path = try freshDirectory().appendingPathComponent("cut.ckpt").path
    try Data(bytes[0..<(bytes.count - 1)]).write(to: URL(fileURLWithPath: path))
    let error = checkpointError { _ = try Checkpoint.read(from: path) }
    #expect(error?.kind == .truncated)
    #expect(error?.message == "the file is truncated: it has \(bytes.count - 1) bytes, the checkpoint needs \(bytes.count)")
  }

  @Test func trailingBytesWrongMagicAndVersionAreRefused() throws {
    var bytes = try capture(try gruModel(seed: 3)).encoded()
    #expect(checkpointError { _ = try Checkpoint(decoding: bytes + [0]) }?.kind == .trailingBytes)
    #expect(
      checkpointError { _ = try Checkpoint(decoding: Array("PK\u{3}\u{4} not a checkpoint".utf8)) }?.kind == .notACheckpoint)
    #expect(checkpointError { _ = try Checkpoint(decoding: Array("LOOMCK".utf8)) }?.kind == .truncated)
    bytes[8] = 2
    let version = checkpointError { _ = try Checkpoint(decoding: bytes) }
    #expect(version?.kind == .unsupportedVersion)
    #expect(version?.message == "checkpoint format version 2 is not supported; this Loom reads version 1")
    bytes[8] = 1
    bytes[0] = UInt8(ascii: "X")
    #expect(checkpointError { _ = try Checkpoint(decoding: bytes) }?.kind == .notACheckpoint)
  }

  @Test func unreadableHeaderWithAValidChecksumIsRefused() throws {
    let json = Array("{\"itemCount\": 3".utf8)
    var bytes = Array("LOOMCKPT".utf8) + [1, 0, 0, 0, UInt8(json.count), 0, 0, 0] + [UInt8](repeating: 0, count: 8) + json
    let crc = CRC32.checksum(bytes)
    bytes += (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) }
    #expect(checkpointError { _ = try Checkpoint(decoding: bytes) }?.kind == .headerUnreadable)
  }

  @Test func wrongItemCountIsRefusedAndLeavesTheModelUntouched() throws {
    let checkpoint = capture(try gruModel(items: 20, seed: 3))
    let other = try gruModel(items: 25, seed: 9)
    let before = try probeScores(other)
    let error = checkpointError { try checkpoint.apply(to: other) }
    #expect(error?.kind == .itemCountMismatch)
    #expect(error?.message == "checkpoint was made for 20 items, this data set has 25")
    #expect(try probeScores(other) == before)
  }

  @Test func shapeMismatchNamesTheParameterAndBothShapes() throws {
    let checkpoint = capture(try gruModel(dim: 8, seed: 3))
    let smaller = try gruModel(dim: 4, seed: 3)
    let name = smaller.parameters[0].name
    let error = checkpointError { try checkpoint.apply(to: smaller) }
    #expect(error?.kind == .shapeMismatch)
    #expect(error?.message == "parameter '\(name)' has shape [21, 8] in the checkpoint but [21, 4] in the model")
  }

  @Test func missingAndExtraParametersAreRefused() throws {
    let model = try gruModel(seed: 3)
    var missing = capture(model)
    let dropped = missing.parameters.removeLast()
    let error = checkpointError { try missing.apply(to: model) }
    #expect(error?.kind == .missingParameter)
    #expect(error?.message == "the model has parameter '\(dropped.name)' \(dropped.shape) but the checkpoint does not")
    var extra = capture(model)
    extra.parameters.append(.init(name: "dense#9.w", shape: [1], values: [1], moment1: [0], moment2: [0]))
    #expect(checkpointError { try extra.apply(to: model) }?.kind == .unexpectedParameter)
  }

  @Test func atomicWriteLeavesOnlyTheCheckpoint() throws {
    let directory = try freshDirectory()
    let path = directory.appendingPathComponent("g.ckpt").path
    try capture(try gruModel(seed: 3)).write(to: path)
    try capture(try gruModel(seed: 4)).write(to: path)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["g.ckpt"])
    #expect(try Checkpoint.read(from: path) == capture(try gruModel(seed: 4)))

    let missingDirectory = directory.appendingPathComponent("absent/g.ckpt").path
    #expect(checkpointError { try capture(try gruModel(seed: 3)).write(to: missingDirectory) }?.kind == .cannotWrite)
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("taken.ckpt"), withIntermediateDirectories: false)
    let onDirectory = directory.appendingPathComponent("taken.ckpt").path
    #expect(checkpointError { try capture(try gruModel(seed: 3)).write(to: onDirectory) }?.kind == .cannotWrite)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["g.ckpt", "taken.ckpt"])
    #expect(checkpointError { _ = try Checkpoint.read(from: directory.appendingPathComponent("none").path) }?.kind == .cannotRead)
  }
}
