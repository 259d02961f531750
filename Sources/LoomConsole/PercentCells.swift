import Foundation

/// One cell of a script in the percent format that Jupytext and VS Code share: a line starting
/// with `# %%` opens a cell, and the text after the marker is the cell's title. A marker
/// carrying `[markdown]` (or `[md]`) opens a markdown cell whose lines are comments, `# ` then
/// the text. Lines before the first marker form a code cell of their own when not blank.
///
/// ```
/// # %% [markdown]
/// # MIN against SASRec on the built-in data
/// # %% Train
/// data = synthetic(users: 2000, items: 3000, seed: 7)
/// ```
public struct PercentCell: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case code
    case markdown
  }

  public var kind: Kind
  /// The text after `# %%` (without the cell type), or nil when there is none.
  public var title: String?
  /// The cell's text without its marker and without leading and trailing blank lines; for
  /// markdown, with the comment prefix removed from every line.
  public var source: String
  /// The 1-based line of the script holding the first line of `source`, so a diagnostic at
  /// line n of the cell points to line `startLine + n - 1` of the file.
  public var startLine: Int

  public init(kind: Kind, title: String? = nil, source: String, startLine: Int) {
    self.kind = kind
    self.title = title
    self.source = source
    self.startLine = startLine
  }

  /// The script line of line `line` (1-based) of this cell's source.
  public func scriptLine(ofCellLine line: Int) -> Int {
    startLine + line - 1
  }
}

public enum PercentCells {
  /// Splits a script into cells, in order. Line ends may be "\n" or "\r\n".
  public static func split(_ script: String) -> [PercentCell] {
    // "\r\n" is a single Character in Swift, so it is matched as a separator of its own.
    let lines = script.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
      .map { line in line.hasSuffix("\r") ? String(line.dropLast()) : String(line) }
    var cells: [PercentCell] = []
    var open: (kind: PercentCell.Kind, title: String?, explicit: Bool, firstLine: Int) = (.code, nil, false, 1)
    var body: [String] = []

    func close() {
      if let cell = makeCell(open.kind, title: open.title, lines: body, firstLine: open.firstLine),
        open.explicit || !cell.source.isEmpty
      {
        cells.append(cell)
      }
    }

    for (index, line) in lines.enumerated() {
      if let header = marker(line) {
        close()
        open = (header.kind, header.title, true, index + 2)
        body = []
      } else {
        body.append(line)
      }
    }
    close()
    return cells
  }

  /// The kind and title of a cell marker line, or nil when the line is not one. A marker is
  /// `# %%` or `#%%` at the very start of the line, followed by the end of the line or a space
  /// (so `# %%%` and an indented `# %%` are ordinary comments).
  static func marker(_ line: String) -> (kind: PercentCell.Kind, title: String?)? {
    let rest: Substring
    if line.hasPrefix("# %%") {
      rest = line.dropFirst(4)
    } else if line.hasPrefix("#%%") {
      rest = line.dropFirst(3)
    } else {
      return nil
    }
    if let next = rest.first, !next.isWhitespace { return nil }

    var words = rest.split(whereSeparator: \.isWhitespace).map(String.init)
    var kind = PercentCell.Kind.code
    if let typeIndex = words.firstIndex(where: { ["[markdown]", "[md]"].contains($0.lowercased()) }) {
      kind = .markdown
      words.remove(at: typeIndex)
    }
    let title = words.joined(separator: " ")
    return (kind, title.isEmpty ? nil : title)
  }

  /// A cell from its body lines (the lines after its marker), trimmed of blank lines at both
  /// ends; `firstLine` is the script line of the first body line.
  private static func makeCell(
    _ kind: PercentCell.Kind, title: String?, lines: [String], firstLine: Int
  ) -> PercentCell? {
    let isBlank = { (line: String) in line.allSatisfy(\.isWhitespace) }
    guard let first = lines.firstIndex(where: { !isBlank($0) }),
      let last = lines.lastIndex(where: { !isBlank($0) })
    else {
      return PercentCell(kind: kind, title: title, source: "", startLine: firstLine)
    }
    var kept = Array(lines[first...last])
    if kind == .markdown { kept = kept.map(uncommented) }
    return PercentCell(kind: kind, title: title, source: kept.joined(separator: "\n"), startLine: firstLine + first)
  }

  /// A markdown line without its comment prefix: "# text" → "text", "#" → "".
  static func uncommented(_ line: String) -> String {
    if line.hasPrefix("# ") { return String(line.dropFirst(2)) }
    if line == "#" { return "" }
    return line
  }
}
