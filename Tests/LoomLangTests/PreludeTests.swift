import Foundation
import Testing

@testable import LoomLang

struct PreludeTests {
  /// The EmbedPrelude plugin compiles prelude.loom into the binary; the text must come through
  /// exactly, quotes, backslashes and the final newline included.
  @Test func theEmbeddedPreludeIsPreludeLoomExactly() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../Sources/LoomLang/prelude.loom").standardized
    let onDisk = try String(contentsOf: url, encoding: .utf8)
    #expect(Prelude.source == onDisk)
    #expect(Prelude.source.contains("def MIN(data"))
  }
}
