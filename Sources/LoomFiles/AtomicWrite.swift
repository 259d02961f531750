import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why an atomic write failed, in words fit for an error message.
public struct AtomicWriteFailure: Error, CustomStringConvertible {
  public var reason: String
  public var description: String { reason }
}

/// Writes `bytes` to `path` so that readers see either the old file or the complete new one:
/// the bytes go to a hidden temporary file in the destination's directory (same file system, so
/// `rename(2)` is atomic), are flushed to the disk with `fsync`, and only then is the temporary
/// renamed over the destination; the directory is synced too so the rename survives a crash.
/// On any error the temporary is removed and the destination is left as it was.
///
/// Every file Loom writes for a user goes through here: checkpoints and autosaves, compare
/// tables and journals, exports, plots, notebooks and encoded feature tables.
/// Whether this process writes files. Under mpirun only rank 0 does (the others run the same
/// script and would write the same bytes to the same paths); they still check the destination,
/// so every rank fails, or none, on a missing directory.
public enum FileWrites {
  nonisolated(unsafe) public static var enabled = true
}

public func writeAtomically(_ data: Data, to path: String) throws {
  try writeAtomically([UInt8](data), to: path)
}

public func writeAtomically(_ bytes: [UInt8], to path: String) throws {
  let url = URL(fileURLWithPath: path)
  let directory = url.deletingLastPathComponent().path
  var isDirectory: ObjCBool = false
  guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
    throw AtomicWriteFailure(reason: "the directory '\(directory)' does not exist")
  }
  if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
    throw AtomicWriteFailure(reason: "'\(path)' is a directory")
  }
  guard FileWrites.enabled else { return }
  let temporary = url.deletingLastPathComponent()
    .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
  func failure(_ what: String) -> AtomicWriteFailure {
    AtomicWriteFailure(reason: "\(what): \(String(cString: strerror(errno)))")
  }
  let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o666)
  guard descriptor >= 0 else { throw failure("cannot create a file in '\(directory)'") }
  var problem: Error? = nil
  do {
    var written = 0
    try bytes.withUnsafeBytes { raw in
      guard let base = raw.baseAddress else { return }  // nothing to write
      while written < raw.count {
        let n = write(descriptor, base + written, raw.count - written)
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { throw failure("writing failed after \(written) of \(raw.count) bytes") }
        written += n
      }
    }
    guard fsync(descriptor) == 0 else { throw failure("flushing to disk failed") }
  } catch {
    problem = error
  }
  if close(descriptor) != 0 && problem == nil { problem = failure("closing the file failed") }
  if let problem {
    unlink(temporary)
    throw problem
  }
  guard rename(temporary, path) == 0 else {
    let problem = failure("cannot replace '\(path)'")
    unlink(temporary)
    throw problem
  }
  let directoryDescriptor = open(directory, O_RDONLY)
  if directoryDescriptor >= 0 {
    _ = fsync(directoryDescriptor)
    close(directoryDescriptor)
  }
}
