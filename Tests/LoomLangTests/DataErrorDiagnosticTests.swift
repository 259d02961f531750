import Foundation
import Testing

@testable import LoomLang

/// A data error raised inside a builtin becomes one Loom diagnostic: the file (and line) it is
/// about, what is wrong, and the error's own help, without a second "error:" inside the message.
struct DataErrorDiagnosticTests {
  let builtins = Builtins.standard(StandardEnvironment(terminal: false))

  @Test func aMissingFolderNamesItselfOnce() {
    let (_, diagnostics) = runLoom("d = load(\"no/such/folder\")", builtins: builtins)
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?.message == "no/such/folder: no such directory")
    #expect(diagnostics.first?.help == "give the folder holding NAME.inter (RecBole atomic files)")
    #expect(diagnostics.first?.location.line == 1)
    #expect(diagnostics.first?.location.column == 5)
  }

  @Test func aMalformedRowNamesItsFileAndLine() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loom-data-error-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let inter = "user_id:token\titem_id:token\ttimestamp:float\n1\t10\t1.0\n1\t11\n"
    try inter.write(to: folder.appendingPathComponent("tiny.inter"), atomically: true, encoding: .utf8)
    let (_, diagnostics) = runLoom("d = load(\"\(folder.path)\")", builtins: builtins)
    let message = try #require(diagnostics.first?.message)
    #expect(message == "tiny.inter:3:5: expected 3 tab-separated fields (user_id, item_id, timestamp), found 2")
  }
}
