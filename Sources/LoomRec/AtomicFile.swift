import Foundation

/// The four field types of RecBole's atomic files (`name:type` in the header line).
public enum AtomicFieldType: String, Sendable, CaseIterable {
  case token
  case tokenSeq = "token_seq"
  case float
  case floatSeq = "float_seq"
}

public struct AtomicField: Equatable, Sendable {
  public var name: String
  public var type: AtomicFieldType
}

/// One column of an atomic file, already converted to its header type.
/// `tokenSeq` keeps the raw text; consumers split it (text modality) as they need.
public enum AtomicColumn: Sendable {
  case token([String])
  case tokenSeq([String])
  case float([Double])
  case floatSeq([[Float]])
}

/// A parsed RecBole atomic file (`.inter`, `.item`, `.user`, `.kg`, `.link`).
///
/// Format: UTF-8 text, one record per line, fields separated by a tab, the first line a header
/// of `name:type` fields. `token_seq` and `float_seq` values are separated by single spaces.
/// Every float must be finite. Empty lines are skipped. Numbers are checked while reading, so a
/// bad value is reported with its line and column.
public struct AtomicTable: Sendable {
  /// The file name used in error messages (the last path component).
  public var file: String
  public var fields: [AtomicField]
  public var columns: [AtomicColumn]
  /// The 1-based file line of each row, for later error messages.
  public var lines: [Int]

  public var rowCount: Int { lines.count }

  /// Reads and checks an atomic file.
  public static func read(path: String) throws -> AtomicTable {
    let name = (path as NSString).lastPathComponent
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DataError(.missingFile, file: name, "cannot read '\(path)'")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw DataError(.missingFile, file: name, "'\(path)' is not UTF-8 text")
    }
    return try parse(text, file: name)
  }

  /// Parses atomic-file text; `file` names it in errors.
  public static func parse(_ text: String, file: String) throws -> AtomicTable {
    var lineNumber = 0
    var fields: [AtomicField] = []
    var builders: [ColumnBuilder] = []
    var lines: [Int] = []
    // "\r\n" is one Character in Swift, so both line ends are split on explicitly.
    for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
      lineNumber += 1
      if fields.isEmpty {
        if line.allSatisfy({ $0 == " " }) { continue }
        fields = try parseHeader(line, file: file, line: lineNumber)
        builders = fields.map { ColumnBuilder(type: $0.type) }
        continue
      }
      if line.isEmpty { continue }
      let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
      if parts.count != fields.count {
        let column = parts.count > fields.count
          ? parts[0..<fields.count].reduce(1) { $0 + $1.count + 1 } : line.count + 1
        throw DataError(
          .wrongColumnCount, file: file, line: lineNumber, column: column,
          "expected \(fields.count) tab-separated fields (\(fields.map(\.name).joined(separator: ", "))), found \(parts.count)",
          help: "fields are separated by one tab; spaces separate the values of a _seq field")
      }
      var column = 1
      for (index, part) in parts.enumerated() {
        try builders[index].append(
          part, field: fields[index].name, file: file, line: lineNumber, column: column)
        column += part.count + 1
      }
      lines.append(lineNumber)
    }
    if fields.isEmpty {
      throw DataError(
        .missingHeaderType, file: file, line: 1, column: 1, "the file is empty; expected a header line",
        help: "the first line names the fields, e.g. user_id:token<TAB>item_id:token")
    }
    return AtomicTable(file: file, fields: fields, columns: builders.map(\.column), lines: lines)
  }

  private static func parseHeader(_ line: Substring, file: String, line number: Int) throws
    -> [AtomicField]
  {
    var result: [AtomicField] = []
    var column = 1
    for part in line.split(separator: "\t", omittingEmptySubsequences: false) {
      let pieces = part.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
      let name = pieces[0].trimmingCharacters(in: .whitespaces)
      guard pieces.count == 2, !name.isEmpty else {
        throw DataError(
          .missingHeaderType, file: file, line: number, column: column,
          "header field '\(part)' has no type",
          help: "write name:type with type one of token, token_seq, float, float_seq")
      }
      let typeName = pieces[1].trimmingCharacters(in: .whitespaces)
      guard let type = AtomicFieldType(rawValue: typeName) else {
        throw DataError(
          .unknownType, file: file, line: number, column: column + pieces[0].count + 1,
          "unknown field type '\(typeName)' for '\(name)'",
          help: "use one of token, token_seq, float, float_seq")
      }
      result.append(AtomicField(name: name, type: type))
      column += part.count + 1
    }
    return result
  }

  /// The index of field `name`, or an error listing the fields this file has.
  public func fieldIndex(_ name: String, purpose: String) throws -> Int {
    if let index = fields.firstIndex(where: { $0.name == name }) { return index }
    throw DataError(
      .unknownField, file: file, line: 1,
      "no field '\(name)' (\(purpose)); this file has: \(fields.map(\.name).joined(separator: ", "))",
      help: "choose one of the fields in the header line")
  }

  /// The values of a token or token_seq column as strings.
  public func strings(_ index: Int) -> [String] {
    switch columns[index] {
    case .token(let values), .tokenSeq(let values): return values
    case .float(let values): return values.map { String($0) }
    case .floatSeq(let values): return values.map { $0.map { String($0) }.joined(separator: " ") }
    }
  }
}

/// Accumulates one column, converting and checking each value as it arrives.
private struct ColumnBuilder {
  let type: AtomicFieldType
  var strings: [String] = []
  var floats: [Double] = []
  var vectors: [[Float]] = []

  init(type: AtomicFieldType) { self.type = type }

  var column: AtomicColumn {
    switch type {
    case .token: return .token(strings)
    case .tokenSeq: return .tokenSeq(strings)
    case .float: return .float(floats)
    case .floatSeq: return .floatSeq(vectors)
    }
  }

  mutating func append(_ text: Substring, field: String, file: String, line: Int, column at: Int)
    throws
  {
    switch type {
    case .token, .tokenSeq:
      strings.append(String(text))
    case .float:
      let trimmed = text.trimmingCharacters(in: .whitespaces)
      guard let value = Double(trimmed) else {
        throw DataError(
          .notANumber, file: file, line: line, column: at,
          "\(field) '\(text)' is not a number", help: "a float field holds one decimal number")
      }
      guard value.isFinite else {
        throw DataError(
          .nonFinite, file: file, line: line, column: at, "\(field) is \(text); values must be finite")
      }
      floats.append(value)
    case .floatSeq:
      var vector: [Float] = []
      var offset = at
      for piece in text.split(separator: " ", omittingEmptySubsequences: false) {
        defer { offset += piece.count + 1 }
        if piece.isEmpty { continue }
        guard let value = Float(piece) else {
          throw DataError(
            .notANumber, file: file, line: line, column: offset,
            "\(field) value '\(piece)' is not a number",
            help: "a float_seq field holds numbers separated by single spaces")
        }
        guard value.isFinite else {
          throw DataError(
            .nonFinite, file: file, line: line, column: offset,
            "\(field) value is \(piece); features must be finite",
            help: "replace NaN/Inf, or leave the field empty to mark the item as missing")
        }
        vector.append(value)
      }
      vectors.append(vector)
    }
  }
}
