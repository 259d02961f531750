import Foundation
import Testing

@testable import LoomConsole

struct CompletionTests {
  @Test func namesKeywordsBuiltinsModelsAndVariables() {
    let session = CapturedSession().session
    _ = session.submit("sizes = [1]")
    #expect(session.completions(word: "si", before: "") == ["sizes"])
    #expect(session.completions(word: "so", before: "x = ") == ["sorted"])
    #expect(
      session.completions(word: "MIN_", before: "m = ") == [
        "MIN_add", "MIN_dot", "MIN_fused", "MIN_i", "MIN_s", "MIN_t", "MIN_v",
      ])
    #expect(session.completions(word: "GRU", before: "m = ") == ["GRU4Rec"])
    #expect(session.completions(word: "ret", before: "  ") == ["return"])
    #expect(session.completions(word: "d*si", before: "x = ") == ["d*sizes"])
    #expect(session.completions(word: "fo", before: "") == ["for"])
  }

  @Test func recordFieldsAfterADot() {
    let session = CapturedSession().session
    _ = session.submit("cfg = {dim: 64, dropout: 0.1, lr: 1e-3, inner: {depth: 2}}")
    #expect(session.completions(word: "cfg.d", before: "print(") == ["cfg.dim", "cfg.dropout"])
    #expect(session.completions(word: "cfg.inner.", before: "") == ["cfg.inner.depth"])
    #expect(session.completions(word: "nothing.x", before: "") == [])
  }

  @Test func commandsAndTheirArguments() {
    let session = CapturedSession().session
    #expect(session.completions(word: "he", before: ":") == ["help"])
    #expect(session.completions(word: "ra", before: ":help ") == ["range"])
  }

  @Test func aSpaceFollowsKeywordsAndCommandsOnly() {
    let session = CapturedSession().session
    _ = session.submit("sizes = [1]")
    #expect(session.completionAppendsSpace("print", before: "") == false)
    #expect(session.completionAppendsSpace("GRU4Rec", before: "m = ") == false)
    #expect(session.completionAppendsSpace("sizes", before: "x = ") == false)
    #expect(session.completionAppendsSpace("d*sizes", before: "x = ") == false)
    #expect(session.completionAppendsSpace("cfg.dim", before: "print(") == false)
    #expect(session.completionAppendsSpace("for", before: "") == true)
    #expect(session.completionAppendsSpace("return", before: "  ") == true)
    #expect(session.completionAppendsSpace("true", before: "x = ") == false)
    #expect(session.completionAppendsSpace("none", before: "x = ") == false)
    #expect(session.completionAppendsSpace("help", before: ":") == true)
    #expect(session.completionAppendsSpace("range", before: ":help ") == false)
    #expect(session.completionAppendsSpace("for", before: "print(\"") == false)
    #expect(session.completionAppendsSpace("ml.loom", before: ":load ") == false)
  }

  @Test func pathsInsideStrings() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-completion-\(UUID())")
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("ml-100k"), withIntermediateDirectories: true)
    try "".write(to: directory.appendingPathComponent("ml.loom"), atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: directory) }
    let session = CapturedSession().session
    let base = directory.path + "/"
    #expect(session.completions(word: base + "ml", before: "data = load(\"") == [base + "ml-100k/", base + "ml.loom"])
    #expect(session.completions(word: base + "ml.", before: ":load ") == [base + "ml.loom"])
    #expect(Session.isInsideString("x = \"a\\\"b") == true)
    #expect(Session.isInsideString("x = \"a\" + ") == false)
  }
}
