import Foundation
import Testing

@testable import LoomLang

/// Runs every Tests/Scripts/**/*.loom and checks its inline expectations:
/// `# expect: TEXT` lines are the printed lines, in order; `# error: LINE:COL TEXT` says the
/// program stops with an error at LINE:COL whose message contains TEXT. Scripts whose output
/// holds timings use `# expect contains: TEXT` instead: each TEXT must appear, in order.
struct GoldenScriptTests {
  static let scriptsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Scripts")

  static func scripts() -> [String] {
    let enumerator = FileManager.default.enumerator(atPath: scriptsDirectory.path)
    var paths: [String] = []
    while let path = enumerator?.nextObject() as? String {
      if path.hasSuffix(".loom") { paths.append(path) }
    }
    return paths.sorted()
  }

  @Test func thereAreScripts() {
    #expect(Self.scripts().count >= 8)
  }

  @Test(arguments: scripts())
  func script(_ path: String) throws {
    let text = try String(contentsOf: Self.scriptsDirectory.appendingPathComponent(path), encoding: .utf8)
    var expected: [String] = []
    var contained: [String] = []
    var expectedError: (location: String, message: String)?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let trimmed = line.drop { $0 == " " }
      if trimmed.hasPrefix("# expect contains: ") {
        contained.append(String(trimmed.dropFirst("# expect contains: ".count)))
      } else if trimmed.hasPrefix("# expect: ") {
        expected.append(String(trimmed.dropFirst("# expect: ".count)))
      } else if trimmed.hasPrefix("# expect:") {
        expected.append("")
      } else if trimmed.hasPrefix("# error: ") {
        let rest = trimmed.dropFirst("# error: ".count)
        let location = String(rest.prefix { $0 != " " })
        expectedError = (location, String(rest.dropFirst(location.count + 1)))
      }
    }
    var output = ""
    var limits = InterpreterLimits()
    limits.maximumSteps = 5_000_000
    let interpreter = Interpreter(
      builtins: .standard(StandardEnvironment(terminal: false)), output: { output += $0 }, limits: limits)
    var failure: [Diagnostic] = []
    do {
      try interpreter.run(SourceFile(name: path, text: text))
    } catch {
      failure = error.diagnostics
    }
    var printed = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if printed.last == "" { printed.removeLast() }
    if contained.isEmpty {
      #expect(printed == expected, "\(path): printed lines differ")
    } else {
      var rest = Substring(output)
      for text in contained {
        guard let found = rest.range(of: text) else {
          Issue.record("\(path): output lacks '\(text)' (in order); output:\n\(output)")
          break
        }
        rest = rest[found.upperBound...]
      }
    }
    if let expectedError {
      let first = try #require(failure.first, "\(path): expected an error at \(expectedError.location)")
      #expect(first.location.description == expectedError.location, "\(path): \(first)")
      #expect(first.message.contains(expectedError.message), "\(path): \(first)")
      #expect(failure.count == 1, "\(path): one mistake must give one error, got \(failure.count)")
    } else {
      #expect(failure.isEmpty, "\(path): \(DiagnosticRenderer.render(failure))")
    }
  }
}

extension Error {
  var diagnostics: [Diagnostic] {
    if let list = self as? DiagnosticList { return list.diagnostics }
    if let diagnostic = self as? Diagnostic { return [diagnostic] }
    return []
  }
}
