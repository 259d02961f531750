import Foundation
import Testing

@testable import LoomText

struct SafeTensorsTests {
  @Test func readsFloat32Tensors() throws {
    let bytes = safeTensorsBytes([("a", [2, 3], [1, 2, 3, 4, 5, 6]), ("b", [1], [-0.5])])
    let file = try SafeTensors(data: bytes, file: "t.safetensors")
    #expect(try file.floats("a") == [1, 2, 3, 4, 5, 6])
    #expect(try file.floats("b", shape: [1]) == [-0.5])
    #expect(file.tensors["a"]?.shape == [2, 3])
  }

  @Test func convertsHalfAndBrainFloat() throws {
    // 1.5 as F16 is 0x3E00; -2 as BF16 is 0xC000 (the top half of Float32's 0xC0000000).
    let header =
      #"{"h":{"dtype":"F16","shape":[1],"data_offsets":[0,2]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[2,4]},"__metadata__":{"format":"pt"}}"#
    var bytes = Data()
    withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
    bytes.append(contentsOf: Array(header.utf8) + [0x00, 0x3E, 0x00, 0xC0])
    let file = try SafeTensors(data: bytes, file: "t.safetensors")
    #expect(try file.floats("h") == [1.5])
    #expect(try file.floats("b") == [-2])
  }

  private func error(_ bytes: Data) -> EncoderError? {
    do {
      _ = try SafeTensors(data: bytes, file: "bad.safetensors")
      return nil
    } catch {
      return error as? EncoderError
    }
  }

  @Test func aHeaderLongerThanTheFileIsTruncation() {
    var bytes = safeTensorsBytes([("a", [2], [1, 2])])
    bytes.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0, 0, 0, 0, 0, 0])
    #expect(error(bytes)?.kind == .truncated)
    #expect(error(Data([1, 2, 3]))?.kind == .truncated)
  }

  @Test func dataCutShortIsTruncation() throws {
    let bytes = safeTensorsBytes([("a", [4], [1, 2, 3, 4])])
    let cut = bytes.prefix(bytes.count - 3)
    let e = try #require(error(Data(cut)))
    #expect(e.kind == .truncated)
    #expect(e.description.contains("\"a\"") && e.description.contains("bad.safetensors"))
  }

  @Test func offsetsBeyondTheFileAreCaught() {
    let lie = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,4000]}}"#
    #expect(error(safeTensorsBytes([("a", [4], [1, 2, 3, 4])], header: lie))?.kind == .truncated)
  }

  @Test func aSizeOtherThanTheShapeIsCaught() {
    let lie = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#
    let e = error(safeTensorsBytes([("a", [4], [1, 2, 3, 4])], header: lie))
    #expect(e?.kind == .badSafeTensors)
    #expect(e?.message.contains("needs 12 bytes") == true)
  }

  @Test func overlappingTensorsAreCaught() {
    let lie = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#
    let e = error(safeTensorsBytes([("a", [4], [1, 2, 3, 4])], header: lie))
    #expect(e?.kind == .badSafeTensors)
    #expect(e?.message.contains("overlap") == true)
  }

  @Test func reversedOffsetsAndBadJSONAreCaught() {
    let reversed = #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}}"#
    #expect(error(safeTensorsBytes([("a", [4], [1, 2, 3, 4])], header: reversed))?.kind == .badSafeTensors)
    #expect(error(safeTensorsBytes([("a", [4], [1, 2, 3, 4])], header: "not json"))?.kind == .badSafeTensors)
  }

  @Test func unknownAndUnreadableTypesAreCaught() throws {
    let unknown = #"{"a":{"dtype":"Q4","shape":[4],"data_offsets":[0,16]}}"#
    #expect(error(safeTensorsBytes([("a", [4], [1, 2, 3, 4])], header: unknown))?.kind == .unsupportedDType)
    let integers = #"{"a":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}"#
    let file = try SafeTensors(data: safeTensorsBytes([("a", [4], [1, 2, 3, 4])], header: integers), file: "i.safetensors")
    #expect(throws: EncoderError.self) { try file.floats("a") }
  }

  @Test func missingTensorsAndWrongShapesAreNamed() throws {
    let file = try SafeTensors(data: safeTensorsBytes([("a", [2, 2], [1, 2, 3, 4])]), file: "t.safetensors")
    do {
      _ = try file.floats("b")
      Issue.record("expected an error")
    } catch let e as EncoderError {
      #expect(e.kind == .missingTensor)
      #expect(e.message.contains("\"b\""))
    }
    do {
      _ = try file.floats("a", shape: [4])
      Issue.record("expected an error")
    } catch let e as EncoderError {
      #expect(e.kind == .wrongShape)
    }
  }
}
