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
    return try data.withUnsafeBytes { raw in
      try parse(bytes: raw.bindMemory(to: UInt8.self), file: name)
    }
  }

  /// Parses atomic-file text; `file` names it in errors.
  public static func parse(_ text: String, file: String) throws -> AtomicTable {
    var text = text
    return try text.withUTF8 { try parse(bytes: $0, file: file) }
  }

  /// Works on UTF-8 bytes: lines end at "\n" (a preceding "\r" is dropped), fields at tabs.
  /// Columns in errors count characters, decoded only when an error is reported.
  static func parse(bytes: UnsafeBufferPointer<UInt8>, file: String) throws -> AtomicTable {
    var lineNumber = 0
    var fields: [AtomicField] = []
    var builders: [ColumnBuilder] = []
    var lines: [Int] = []
    var ranges: [Range<Int>] = []
    var start = 0
    while start < bytes.count {
      var end = start
      while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
      let lineStart = start
      let lineEnd = end > start && bytes[end - 1] == UInt8(ascii: "\r") ? end - 1 : end
      start = end + 1
      lineNumber += 1
      func column(_ offset: Int) -> Int {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<offset]), as: UTF8.self).count + 1
      }
      if fields.isEmpty {
        let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd]), as: UTF8.self)
        if line.allSatisfy({ $0 == " " }) { continue }
        fields = try parseHeader(Substring(line), file: file, line: lineNumber)
        builders = fields.map { ColumnBuilder(type: $0.type) }
        continue
      }
      if lineEnd == lineStart { continue }
      ranges.removeAll(keepingCapacity: true)
      var fieldStart = lineStart
      for index in lineStart..<lineEnd where bytes[index] == UInt8(ascii: "\t") {
        ranges.append(fieldStart..<index)
        fieldStart = index + 1
      }
      ranges.append(fieldStart..<lineEnd)
      if ranges.count != fields.count {
        let at = ranges.count > fields.count ? ranges[fields.count].lowerBound : lineEnd
        throw DataError(
          .wrongColumnCount, file: file, line: lineNumber, column: column(at),
          "expected \(fields.count) tab-separated fields (\(fields.map(\.name).joined(separator: ", "))), found \(ranges.count)",
          help: "fields are separated by one tab; spaces separate the values of a _seq field")
      }
      for (index, range) in ranges.enumerated() {
        do {
          try builders[index].append(UnsafeBufferPointer(rebasing: bytes[range]), field: fields[index].name)
        } catch let problem as FieldProblem {
          throw DataError(
            problem.kind, file: file, line: lineNumber, column: column(range.lowerBound + problem.offset),
            problem.message, help: problem.help)
        }
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

/// A bad value inside one field; `offset` is its byte offset within the field.
private struct FieldProblem: Error {
  var kind: DataError.Kind
  var offset: Int
  var message: String
  var help: String?
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

  mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, field: String) throws {
    switch type {
    case .token, .tokenSeq:
      strings.append(String(decoding: bytes, as: UTF8.self))
    case .float:
      var low = 0
      var high = bytes.count
      while low < high && bytes[low] == UInt8(ascii: " ") { low += 1 }
      while high > low && bytes[high - 1] == UInt8(ascii: " ") { high -= 1 }
      let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[low..<high]), as: UTF8.self)
      guard let value = Double(text) else {
        throw FieldProblem(
          kind: .notANumber, offset: 0, message: "\(field) '\(String(decoding: bytes, as: UTF8.self))' is not a number",
          help: "a float field holds one decimal number")
      }
      guard value.isFinite else {
        throw FieldProblem(kind: .nonFinite, offset: 0, message: "\(field) is \(text); values must be finite")
      }
      floats.append(value)
    case .floatSeq:
      var vector: [Float] = []
      var pieceStart = 0
      for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: " ") {
        defer { pieceStart = index + 1 }
        if index == pieceStart { continue }
        let piece = String(decoding: UnsafeBufferPointer(rebasing: bytes[pieceStart..<index]), as: UTF8.self)
        guard let value = Float(piece) else {
          throw FieldProblem(
            kind: .notANumber, offset: pieceStart, message: "\(field) value '\(piece)' is not a number",
            help: "a float_seq field holds numbers separated by single spaces")
        }
        guard value.isFinite else {
          throw FieldProblem(
            kind: .nonFinite, offset: pieceStart, message: "\(field) value is \(piece); features must be finite",
            help: "replace NaN/Inf, or leave the field empty to mark the item as missing")
        }
        vector.append(value)
      }
      vectors.append(vector)
    }
  }
}
