import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a file so that readers see the old file or the complete new one, never half of it:
/// the bytes go to a hidden temporary name in the destination's directory (the same file
/// system, so `rename(2)` is atomic), and the temporary is renamed over the destination.
enum AtomicFile {
  static func write(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw PlotError.cannotWrite(path: path, reason: "the directory '\(directory)' does not exist")
    }
    let temporary = url.deletingLastPathComponent()
      .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
    do {
      try data.write(to: URL(fileURLWithPath: temporary))
    } catch {
      throw PlotError.cannotWrite(path: path, reason: "\(error.localizedDescription)")
    }
    if rename(temporary, path) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw PlotError.cannotWrite(path: path, reason: reason)
    }
  }
}
