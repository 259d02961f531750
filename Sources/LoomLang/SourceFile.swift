/// One piece of Loom source text: a script, a REPL submission or the prelude.
///
/// The text is kept as UTF-8 bytes because the lexer scans bytes; lines and columns are
/// computed on demand for diagnostics, counting columns in characters (1-based), as editors do.
public final class SourceFile: Sendable {
  /// The name shown in `--> name:line:col`, e.g. `sweep.loom` or `<repl>`.
  public let name: String
  public let text: String
  let bytes: [UInt8]
  /// Byte offset of the first byte of every line.
  let lineStarts: [Int]

  public init(name: String, text: String) {
    self.name = name
    self.text = text
    let bytes = Array(text.utf8)
    self.bytes = bytes
    var starts = [0]
    for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
      starts.append(offset + 1)
    }
    self.lineStarts = starts
  }

  /// The 1-based line holding byte `offset`.
  func line(containing offset: Int) -> Int {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    return low + 1
  }

  /// The text of 1-based line `line`, without its newline.
  public func lineText(_ line: Int) -> String {
    guard line >= 1, line <= lineStarts.count else { return "" }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
  }

  /// Line and column (both 1-based, column in characters) of byte `offset`.
  public func location(of offset: Int) -> SourceLocation {
    let clamped = min(max(0, offset), bytes.count)
    let line = line(containing: clamped)
    let start = lineStarts[line - 1]
    let column = String(decoding: bytes[start..<clamped], as: UTF8.self).count + 1
    return SourceLocation(line: line, column: column)
  }

  /// The source text covered by `span`.
  public func text(of span: SourceSpan) -> String {
    let start = min(max(0, span.start), bytes.count)
    let end = min(max(start, span.end), bytes.count)
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }
}

/// A 1-based line and column.
public struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }
  public var description: String { "\(line):\(column)" }
}

/// A half-open byte range `[start, end)` of one source file; every token and AST node has one.
public struct SourceSpan: Equatable, Sendable {
  public let file: SourceFile
  public let start: Int
  public let end: Int

  public init(file: SourceFile, start: Int, end: Int) {
    self.file = file
    self.start = start
    self.end = max(start, end)
  }

  /// A span for text that has no source of its own (values made by the host).
  public static let unknown = SourceSpan(file: SourceFile(name: "<host>", text: ""), start: 0, end: 0)

  public var location: SourceLocation { file.location(of: start) }
  public var text: String { file.text(of: self) }

  /// The smallest span covering both.
  public func through(_ other: SourceSpan) -> SourceSpan {
    SourceSpan(file: file, start: min(start, other.start), end: max(end, other.end))
  }

  public static func == (lhs: SourceSpan, rhs: SourceSpan) -> Bool {
    lhs.file === rhs.file && lhs.start == rhs.start && lhs.end == rhs.end
  }
}
