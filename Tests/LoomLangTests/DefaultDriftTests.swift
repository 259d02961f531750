import Foundation
import Testing

@testable import LoomLang

/// One home per default: the builtins' signatures are written from the engine's defaults
/// (FitOptions, DefaultSignatures), and Docs/language.md's tables must show the registered
/// signatures and the prelude's `def` lines exactly, so the documentation cannot drift from the
/// code again. Also the layering rule that keeps the language a translator: LoomLang does not
/// import the graph or tensor modules, and `fit` and `compare` stay argument translation.
struct DefaultDriftTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// `NAME(...)` of every table row of Docs/language.md that starts with one, with its line.
  func documentedSignatures() throws -> [(name: String, text: String, line: Int)] {
    let text = try String(contentsOf: Self.root.appendingPathComponent("Docs/language.md"), encoding: .utf8)
    let pattern = try NSRegularExpression(pattern: #"^\| `(([A-Za-z_][A-Za-z_0-9]*)\(.*?\))`"#)
    return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
      let line = String(line)
      guard let m = pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
        let whole = Range(m.range(at: 1), in: line), let name = Range(m.range(at: 2), in: line)
      else { return nil }
      return (String(line[name]), String(line[whole]), index + 1)
    }
  }

  @Test func theBuiltinTablesShowTheRegisteredSignatures() throws {
    let builtins = Builtins.standard(StandardEnvironment(terminal: false))
    var checked = 0
    for row in try documentedSignatures() {
      guard let builtin = builtins[row.name] else { continue }
      #expect(
        row.text == builtin.signature.description,
        "Docs/language.md:\(row.line) shows \(row.text), the builtin is \(builtin.signature.description)")
      checked += 1
    }
    #expect(checked >= 40, "only \(checked) builtins found in Docs/language.md's tables")
  }

  @Test func thePreludeTableShowsTheDefLines() throws {
    let prelude = try String(contentsOf: Self.root.appendingPathComponent("Sources/LoomLang/prelude.loom"), encoding: .utf8)
    let def = try NSRegularExpression(pattern: #"^def (([A-Za-z_][A-Za-z_0-9]*)\(.*\)) \{"#, options: .anchorsMatchLines)
    var defs: [String: String] = [:]
    for m in def.matches(in: prelude, range: NSRange(prelude.startIndex..., in: prelude)) {
      defs[String(prelude[Range(m.range(at: 2), in: prelude)!])] = String(prelude[Range(m.range(at: 1), in: prelude)!])
    }
    var checked = 0
    for row in try documentedSignatures() where !row.text.contains("...") {
      guard let header = defs[row.name] else { continue }
      #expect(row.text == header, "Docs/language.md:\(row.line) shows \(row.text), prelude.loom has \(header)")
      checked += 1
    }
    #expect(checked >= 10, "only \(checked) prelude functions found in Docs/language.md's tables")
  }

  @Test func fitsSignatureCarriesTheEngineDefaults() throws {
    let fit = try #require(Signature(FitOptions.signature))
    #expect(fit.parameter(named: "batch")?.defaultText == "128")
    #expect(fit.parameter(named: "lr")?.defaultText == "0.001")
    #expect(fit.parameter(named: "loss")?.defaultText == "\"ce\"")
    #expect(FitOptions.names.contains("autosave") && !FitOptions.names.contains("model"))
  }

  @Test func theLanguageTranslatesAndTheEngineTrains() throws {
    let library = Self.root.appendingPathComponent("Sources/LoomLang")
    let files = try #require(FileManager.default.enumerator(atPath: library.path)).compactMap { $0 as? String }
      .filter { $0.hasSuffix(".swift") }
    #expect(files.count > 20)
    for file in files {
      let text = try String(contentsOf: library.appendingPathComponent(file), encoding: .utf8)
      #expect(
        !text.contains("import LoomGraph") && !text.contains("import LoomTensor"), "\(file) imports the graph or tensor module")
    }
    for file in ["Library/Fit.swift", "Library/Compare.swift"] {
      let lines = try String(contentsOf: library.appendingPathComponent(file), encoding: .utf8).split(separator: "\n").count
      #expect(lines < 150, "\(file) has \(lines) lines: training and comparison belong to LoomRec/Experiments")
    }
  }
}
