import Foundation

/// The connection file a Jupyter client writes before it starts a kernel (Jupyter client docs,
/// "Connection files"): where the five channels listen and the key that signs every message.
public struct ConnectionInfo: Codable, Sendable {
  public var transport: String
  public var ip: String
  public var shellPort: Int
  public var iopubPort: Int
  public var stdinPort: Int
  public var controlPort: Int
  public var heartbeatPort: Int
  public var key: String
  public var signatureScheme: String

  enum CodingKeys: String, CodingKey {
    case transport, ip, key
    case shellPort = "shell_port"
    case iopubPort = "iopub_port"
    case stdinPort = "stdin_port"
    case controlPort = "control_port"
    case heartbeatPort = "hb_port"
    case signatureScheme = "signature_scheme"
  }

  /// Reads and checks a connection file; the error says which field is missing or wrong.
  public static func read(from path: String) throws -> ConnectionInfo {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw KernelError("cannot read the connection file '\(path)'")
    }
    let info: ConnectionInfo
    do {
      info = try JSONDecoder().decode(ConnectionInfo.self, from: data)
    } catch DecodingError.keyNotFound(let key, _) {
      throw KernelError("the connection file '\(path)' has no '\(key.stringValue)' field")
    } catch {
      throw KernelError("the connection file '\(path)' is not a Jupyter connection file (\(error))")
    }
    guard info.signatureScheme == "hmac-sha256" || (info.signatureScheme.isEmpty && info.key.isEmpty) else {
      throw KernelError("signature scheme '\(info.signatureScheme)' is not supported; Loom signs with hmac-sha256")
    }
    return info
  }

  /// "tcp://127.0.0.1:5555" for a port.
  public func endpoint(_ port: Int) -> String {
    transport == "ipc" ? "ipc://\(ip)-\(port)" : "\(transport)://\(ip):\(port)"
  }
}

/// A kernel failure in words (bad connection file, a socket that cannot bind).
public struct KernelError: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
