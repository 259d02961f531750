import Foundation
import Testing

/// Drives the built `loom` binary through a pseudo-terminal (python3's pty module), as a person
/// at a terminal would: readline editing, history, completion, multi-line input, errors, Ctrl-C.
@Suite(.serialized)
struct TerminalReplTests {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The loom binary of this build: beside the test executable (whatever --scratch-path built
  /// both), else the most recently built one in .build (debug or release).
  static func binary() -> String? {
    if let sibling = Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("loom").path,
      FileManager.default.isExecutableFile(atPath: sibling)
    {
      return sibling
    }
    let candidates = ["debug", "release"].map { packageRoot.appendingPathComponent(".build/\($0)/loom").path }
    return candidates.filter { FileManager.default.isExecutableFile(atPath: $0) }.max { a, b in
      let dateA = (try? FileManager.default.attributesOfItem(atPath: a)[.modificationDate] as? Date) ?? .distantPast
      let dateB = (try? FileManager.default.attributesOfItem(atPath: b)[.modificationDate] as? Date) ?? .distantPast
      return dateA < dateB
    }
  }

  /// Sends each step's bytes (or SIGINT for "<SIGINT>"), and prints what the terminal showed after
  /// it, as a JSON list of strings.
  static let driver = #"""
    import json, os, pty, select, signal, sys, time
    binary, home, steps = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["HOME"] = home
        os.environ["TERM"] = "dumb"
        os.execv(binary, [binary])
    def read(quiet=0.4, limit=10.0):
        out, end, deadline = b"", time.time() + quiet, time.time() + limit
        while time.time() < min(end, deadline):
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    break
                if not data:
                    break
                out += data
                end = time.time() + quiet
        return out.decode(errors="replace")
    shown = [read(1.0)]
    for step in steps:
        if step == "<SIGINT>":
            time.sleep(0.5)
            os.kill(pid, signal.SIGINT)
        else:
            os.write(fd, step.encode())
        shown.append(read())
    os.write(fd, b"\x04")
    shown.append(read())
    deadline = time.time() + 10
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            shown.append(str(os.WEXITSTATUS(status)))
            break
        if time.time() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            shown.append("hung")
            break
        time.sleep(0.05)
    print(json.dumps(shown))
    """#

  func session(_ steps: [String], home: String) throws -> [String] {
    let binary = try #require(Self.binary(), "build the loom executable first (swift build)")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let stepsJSON = String(decoding: try JSONSerialization.data(withJSONObject: steps), as: UTF8.self)
    process.arguments = ["python3", "-c", Self.driver, binary, home, stepsJSON]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String])
  }

  @Test func aPersonAtTheTerminal() throws {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("loom-home-\(UUID())").path
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: home) }
    let shown = try session(
      [
        "sizes = [10, 20]\r",  // 1
        "len(sizes) + 40\r",  // 2
        "def twice(v) {\r",  // 3: multi-line input continues
        "  2 * v\r",  // 4
        "}\r",  // 5
        "twice(21)\r",  // 6
        "\u{1b}[A\r",  // 7: Up recalls twice(21)
        "len(siz\t)\r",  // 8: Tab completes sizes
        "sizez\r",  // 9: an error with a suggestion
        "sizes[1]\r",  // 10: state survives the error
        "print(99\u{03}",  // 11: Ctrl-C at the prompt clears the line
        "1 + 1\r",  // 12
        "for i in range(1e12) { x = i }\r",  // 13: a long computation...
        "<SIGINT>",  // 14: ...stopped by Ctrl-C
        "sizes\r",  // 15: back at the prompt
        "twi\t(21)\r",  // 16: Tab completes a function's name without a space after it
      ], home: home)
    #expect(shown.count == 19)
    #expect(shown[0].hasSuffix("loom> "))
    #expect(shown[2].contains("42\r\n"))
    #expect(shown[3].hasSuffix("  ... "))
    #expect(shown[5].hasSuffix("loom> "))
    #expect(shown[6].contains("42\r\n"))
    #expect(shown[7].contains("twice(21)") && shown[7].contains("42\r\n"))
    #expect(shown[8].contains("len(sizes)") && shown[8].contains("2\r\n"))
    #expect(shown[9].contains("error: unknown name 'sizez'") && shown[9].contains("= help: did you mean 'sizes'?"))
    #expect(shown[10].contains("20\r\n"))
    #expect(shown[11].contains("^C") && shown[11].hasSuffix("loom> "))
    #expect(shown[12].contains("2\r\n") && !shown[12].contains("99"))
    #expect(shown[14].contains("error: interrupted") && shown[14].hasSuffix("loom> "))
    #expect(shown[15].contains("[10, 20]\r\n"))
    #expect(shown[16].contains("twice(21)") && shown[16].contains("42\r\n"))
    #expect(shown[18] == "0")
    let history = try String(contentsOfFile: home + "/.loom_history", encoding: .utf8)
    #expect(history.contains("twice(21)\n") && history.contains("sizes = [10, 20]\n"))
    #expect(!history.contains("print(99"))
  }

  @Test func pipedInputRunsWithoutPromptsAndStopsAtTheFirstError() throws {
    let binary = try #require(Self.binary())
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    input.fileHandleForWriting.write(Data("x = 2\ndef f(v) {\n  v * x\n}\nprint(f(21))\nf(1) + y\nprint(\"not reached\")\n".utf8))
    try input.fileHandleForWriting.close()
    let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let diagnostics = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(printed == "42\n")
    #expect(diagnostics.hasPrefix("error: unknown name 'y'\n --> <repl>:1:8"))
    #expect(process.terminationStatus == 65)
  }
}
