import Foundation
import Testing

@testable import LoomFiles

/// The one atomic write: the destination holds the old file or the complete new one, a failure
/// names the cause and leaves no temporary behind.
struct AtomicWriteTests {
  func directory(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("loom-atomic-\(name)-\(getpid())")
    try? FileManager.default.removeItem(at: url)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func replacesTheFileWhole() throws {
    let dir = try directory("replace")
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("a.txt").path
    try writeAtomically(Array("old".utf8), to: path)
    try writeAtomically(Data("new contents".utf8), to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "new contents")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.txt"])
  }

  @Test func aMissingDirectoryOrADirectoryInTheWayIsNamed() throws {
    let dir = try directory("fail")
    defer { try? FileManager.default.removeItem(at: dir) }
    do {
      try writeAtomically(Array("x".utf8), to: dir.appendingPathComponent("no/such/a.txt").path)
      Issue.record("wrote into a missing directory")
    } catch let failure as AtomicWriteFailure {
      #expect(failure.reason.hasPrefix("the directory '") && failure.reason.hasSuffix("no/such' does not exist"))
    }
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("d"), withIntermediateDirectories: true)
    do {
      try writeAtomically(Array("x".utf8), to: dir.appendingPathComponent("d").path)
      Issue.record("wrote over a directory")
    } catch let failure as AtomicWriteFailure {
      #expect(failure.reason == "'\(dir.appendingPathComponent("d").path)' is a directory")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["d"])
  }
}
