import Crypto
import Foundation

/// Signs and checks messages with HMAC-SHA256 over the header, parent header, metadata and
/// content frames as they travel (Jupyter messaging, "The Wire Protocol"). An empty key means
/// signing is off, as the spec allows.
struct MessageSigner {
  let key: SymmetricKey?

  init(key: String) { self.key = key.isEmpty ? nil : SymmetricKey(data: Array(key.utf8)) }

  func signature(_ parts: [[UInt8]]) -> String {
    guard let key else { return "" }
    var hmac = HMAC<SHA256>(key: key)
    for part in parts { hmac.update(data: part) }
    return Data(hmac.finalize()).map { String(format: "%02x", $0) }.joined()
  }

  /// Whether `signature` (lower-case hex) signs `parts`; compared in constant time.
  func isValid(_ signature: [UInt8], _ parts: [[UInt8]]) -> Bool {
    guard let key else { return true }
    guard signature.count == 64, let code = Self.bytes(hex: signature) else { return false }
    var data: [UInt8] = []
    for part in parts { data += part }
    return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: data, using: key)
  }

  static func bytes(hex: [UInt8]) -> [UInt8]? {
    func nibble(_ c: UInt8) -> UInt8? {
      switch c {
      case 48...57: return c - 48
      case 97...102: return c - 87
      case 65...70: return c - 55
      default: return nil
      }
    }
    var out: [UInt8] = []
    out.reserveCapacity(hex.count / 2)
    var index = 0
    while index + 1 < hex.count {
      guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
      out.append(high << 4 | low)
      index += 2
    }
    return out
  }
}

/// One Jupyter message: the routing identities it came with and its four JSON parts.
struct KernelMessage {
  static let delimiter = Array("<IDS|MSG>".utf8)
  static let protocolVersion = "5.3"

  var identities: [[UInt8]]
  var header: JSONValue
  var parentHeader: JSONValue
  var metadata: JSONValue
  var content: JSONValue

  var type: String { header["msg_type"]?.string ?? "" }

  /// Reads a multipart message; nil (the message is dropped) when it is malformed or its
  /// signature does not check.
  static func decode(_ frames: [[UInt8]], signer: MessageSigner) -> (message: KernelMessage?, problem: String?) {
    guard let split = frames.firstIndex(of: delimiter), frames.count >= split + 6 else {
      return (nil, "a message without the <IDS|MSG> delimiter and its five frames")
    }
    let parts = Array(frames[(split + 2)..<(split + 6)])
    guard signer.isValid(frames[split + 1], parts) else { return (nil, "a message with a wrong signature") }
    guard let header = JSONValue.parse(parts[0]), let parent = JSONValue.parse(parts[1]),
      let metadata = JSONValue.parse(parts[2]), let content = JSONValue.parse(parts[3])
    else { return (nil, "a message whose parts are not JSON") }
    return (
      KernelMessage(
        identities: Array(frames[..<split]), header: header, parentHeader: parent, metadata: metadata,
        content: content), nil
    )
  }

  /// The frames of a new message of `type` in reply to (or caused by) `parent`.
  static func frames(
    type: String, content: JSONValue, parent: KernelMessage?, identities: [[UInt8]], session: String,
    signer: MessageSigner, metadata: JSONValue = [:]
  ) -> [[UInt8]] {
    let header: JSONValue = [
      "msg_id": .string(UUID().uuidString.lowercased()), "session": .string(session), "username": "loom",
      "date": .string(ISO8601DateFormatter.jupyter.string(from: Date())), "msg_type": .string(type),
      "version": .string(protocolVersion),
    ]
    let parts = [header.bytes, (parent?.header ?? [:]).bytes, metadata.bytes, content.bytes]
    return identities + [delimiter, Array(signer.signature(parts).utf8)] + parts
  }
}

extension ISO8601DateFormatter {
  /// ISO 8601 with fractional seconds, as Jupyter dates are written.
  nonisolated(unsafe) static let jupyter: ISO8601DateFormatter = {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter
  }()
}
