import Foundation
import Testing

@testable import LoomKernel

/// The wire protocol's pieces checked against reference values: the HMAC-SHA256 signature (the
/// hex digest Python's `hmac` module gives for the same key and frames), the frame layout, a
/// wrong or missing signature rejected, and the JSON round trip.
struct MessageTests {
  let parts: [[UInt8]] = [#"{"msg_id":"1"}"#, "{}", "{}", #"{"code":"1 + 1"}"#].map { Array($0.utf8) }

  @Test func signaturesMatchPythonsHMAC() {
    let signer = MessageSigner(key: "secret-key")
    // python3: hmac.new(b"secret-key", digestmod=hashlib.sha256), updated with the four parts.
    let reference = "0d7e0ca82ac04963640c7881042b99cb3a4d84d419108f117f85a54732658ac8"
    #expect(signer.signature(parts) == reference)
    #expect(signer.isValid(Array(reference.utf8), parts))
    #expect(signer.isValid(Array(reference.uppercased().utf8), parts))
    var wrong = Array(reference.utf8)
    wrong[5] = wrong[5] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
    #expect(!signer.isValid(wrong, parts))
    #expect(!signer.isValid(Array(reference.prefix(62).utf8), parts))
    #expect(!signer.isValid([], parts))
    #expect(MessageSigner(key: "").signature(parts) == "")
  }

  @Test func aBadlySignedMessageIsDropped() {
    let signer = MessageSigner(key: "secret-key")
    let good = [Array("client".utf8), KernelMessage.delimiter, Array(signer.signature(parts).utf8)] + parts
    let (message, problem) = KernelMessage.decode(good, signer: signer)
    #expect(problem == nil)
    #expect(message?.identities == [Array("client".utf8)])
    #expect(message?.content["code"]?.string == "1 + 1")
    let forged =
      [Array("client".utf8), KernelMessage.delimiter, Array(MessageSigner(key: "other").signature(parts).utf8)] + parts
    #expect(KernelMessage.decode(forged, signer: signer).message == nil)
    #expect(KernelMessage.decode(forged, signer: signer).problem == "a message with a wrong signature")
    #expect(KernelMessage.decode(Array(good.prefix(5)), signer: signer).message == nil)
  }

  @Test func repliesAreSignedOverTheirFourParts() throws {
    let signer = MessageSigner(key: "k")
    let frames = KernelMessage.frames(
      type: "status", content: ["execution_state": "idle"], parent: nil,
      identities: [Array("topic".utf8)], session: "s", signer: signer)
    #expect(frames.count == 7)
    #expect(frames[1] == KernelMessage.delimiter)
    #expect(String(decoding: frames[2], as: UTF8.self) == signer.signature(Array(frames[3...6])))
    let header = try #require(JSONValue.parse(frames[3]))
    #expect(header["msg_type"]?.string == "status" && header["version"]?.string == "5.3" && header["session"]?.string == "s")
    #expect(String(decoding: frames[6], as: UTF8.self) == #"{"execution_state":"idle"}"#)
  }

  @Test func jsonRoundTripKeepsIntegersAndNesting() {
    let value: JSONValue = ["a": [1, .number(2.5), "x", true, .null], "b": ["c": 3]]
    #expect(String(decoding: value.bytes, as: UTF8.self) == #"{"a":[1,2.5,"x",true,null],"b":{"c":3}}"#)
    #expect(JSONValue.parse(value.bytes) == value)
    #expect(JSONValue.parse(Array("not json".utf8)) == nil)
  }

  @Test func pngSizeComesFromTheHeader() {
    var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
    png += [0, 0, 3, 32, 0, 0, 1, 244]  // 800 × 500
    #expect(Kernel.pngSize(png).map { [$0.0, $0.1] } == [800, 500])
    #expect(Kernel.pngSize([1, 2, 3]) == nil)
  }
}
