import Foundation
import LoomFiles

/// The gnuplot program, run once per figure as a child process fed through a pipe.
///
/// The executable path is a value so tests (and users with gnuplot elsewhere) can choose it;
/// by default it is the first `gnuplot` on PATH, or /usr/bin/gnuplot.
public struct Gnuplot: Sendable {
  public var executablePath: String

  public init(executablePath: String? = nil) {
    self.executablePath = executablePath ?? Self.locate()
  }

  /// The image bytes (PNG, SVG or PDF) of `figure`.
  public func render(_ figure: Figure, as output: PlotOutput) throws -> Data {
    let image = try run(script: GnuplotScript.make(figure, output: output))
    if image.isEmpty {
      throw PlotError.gnuplotFailed(status: 0, message: "gnuplot wrote no image")
    }
    return image
  }

  /// Draws `figure` into the file at `path`, its format chosen by the extension. The file
  /// appears complete or not at all: the image is written under a temporary name in the same
  /// directory, then renamed. Returns the image bytes (a notebook embeds them).
  @discardableResult
  public func write(_ figure: Figure, to path: String) throws -> Data {
    let output = try PlotOutput(path: path)
    // A process that writes no files (an mpirun rank other than 0) need not run gnuplot either.
    guard FileWrites.enabled else { return Data() }
    let image = try render(figure, as: output)
    do {
      try writeAtomically(image, to: path)
    } catch let failure as AtomicWriteFailure {
      throw PlotError.cannotWrite(path: path, reason: failure.reason)
    }
    return image
  }

  /// `figure` drawn with characters by gnuplot's dumb terminal, `columns` × `lines` in size,
  /// ready to print on a terminal. The form feed gnuplot puts before each page, trailing
  /// spaces and blank edge lines are removed.
  public func text(_ figure: Figure, columns: Int = 79, lines: Int = 24) throws -> String {
    let output = try run(script: GnuplotScript.make(figure, output: .text(columns: columns, lines: lines)))
    let rows = String(decoding: output, as: UTF8.self)
      .replacingOccurrences(of: "\u{0C}", with: "")
      .split(separator: "\n", omittingEmptySubsequences: false)
      .map { line in String(line.reversed().drop(while: { $0 == " " }).reversed()) }
    let first = rows.firstIndex(where: { !$0.isEmpty }) ?? rows.count
    let last = rows.lastIndex(where: { !$0.isEmpty }) ?? -1
    return first <= last ? rows[first...last].joined(separator: "\n") + "\n" : ""
  }

  /// Runs a gnuplot program and returns what it wrote on standard output. A non-zero exit
  /// throws with gnuplot's own message (its stderr), e.g. "line 12: undefined variable: foo".
  public func run(script: String) throws -> Data {
    guard FileManager.default.isExecutableFile(atPath: executablePath) else {
      throw PlotError.gnuplotMissing(executable: executablePath)
    }
    let result: ChildProcess.Result
    do {
      result = try ChildProcess(executable: executablePath, arguments: []).run(input: Data(script.utf8))
    } catch {
      throw PlotError.gnuplotMissing(executable: executablePath)
    }
    guard result.status == 0 else {
      let message = String(decoding: result.standardError, as: UTF8.self)
        .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }.joined(separator: "\n")
      throw PlotError.gnuplotFailed(status: result.status, message: message)
    }
    return result.standardOutput
  }

  /// Whether the gnuplot program exists at `executablePath`.
  public var isAvailable: Bool {
    FileManager.default.isExecutableFile(atPath: executablePath)
  }

  private static func locate() -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for directory in path.split(separator: ":") where !directory.isEmpty {
      let candidate = "\(directory)/gnuplot"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return "/usr/bin/gnuplot"
  }
}
