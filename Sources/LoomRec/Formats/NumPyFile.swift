import Foundation

/// A 2-D float array read from a NumPy `.npy` file, converted to Float32, row-major.
public struct NumPyMatrix: Sendable, Equatable {
  public var rows: Int
  public var cols: Int
  public var values: [Float]
}

/// Reader and writer of NumPy's `.npy` format (versions 1.0, 2.0 and 3.0).
///
/// Layout: the magic bytes "\x93NUMPY", a major and minor version byte, the header length
/// (2 bytes little-endian in 1.0, 4 bytes in 2.0/3.0), then an ASCII Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (1682, 64), }`, then the raw data.
/// Accepted: dtype float32 or float64 in either byte order, C order, two dimensions.
public enum NumPyFile {
  public static func read(path: String) throws -> NumPyMatrix {
    let name = (path as NSString).lastPathComponent
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DataError(.missingFile, file: name, "cannot read '\(path)'")
    }
    return try parse([UInt8](data), file: name)
  }

  public static func parse(_ bytes: [UInt8], file: String) throws -> NumPyMatrix {
    let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
      throw DataError(
        .npyFormat, file: file, "not a .npy file (magic bytes missing)",
        help: "save the array with numpy.save")
    }
    let major = bytes[6]
    let headerLength: Int
    let headerStart: Int
    switch major {
    case 1:
      headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
      headerStart = 10
    case 2, 3:
      guard bytes.count >= 12 else { throw DataError(.npyFormat, file: file, "truncated header") }
      headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
      headerStart = 12
    default:
      throw DataError(.npyFormat, file: file, ".npy version \(major) is not supported")
    }
    guard headerStart + headerLength <= bytes.count,
      let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: .utf8)
    else { throw DataError(.npyFormat, file: file, "truncated header") }

    var parser = HeaderParser(text: header, file: file)
    let dict = try parser.parseDict()
    guard case .string(let descr)? = dict["descr"] else {
      throw DataError(.npyFormat, file: file, "header has no 'descr': \(header)")
    }
    guard case .bool(let fortran)? = dict["fortran_order"] else {
      throw DataError(.npyFormat, file: file, "header has no 'fortran_order': \(header)")
    }
    guard case .tuple(let shape)? = dict["shape"] else {
      throw DataError(.npyFormat, file: file, "header has no 'shape': \(header)")
    }
    let width: Int
    switch descr.dropFirst() {
    case "f4": width = 4
    case "f8": width = 8
    default:
      throw DataError(
        .npyDtype, file: file, "dtype '\(descr)' is not supported",
        help: "save float32 or float64 features, e.g. numpy.save(path, x.astype('float32'))")
    }
    let order = descr.first
    guard order == "<" || order == ">" || order == "=" else {
      throw DataError(.npyDtype, file: file, "dtype '\(descr)' has no byte order")
    }
    let bigEndian = order == ">"
    if fortran {
      throw DataError(
        .npyFormat, file: file, "the array is in Fortran order",
        help: "save numpy.ascontiguousarray(x) instead")
    }
    guard shape.count == 2 else {
      throw DataError(
        .npyFormat, file: file, "shape \(shape) is not 2-D [items, d]",
        help: "reshape the features to (items, d) before saving")
    }
    let (rows, cols) = (shape[0], shape[1])
    let dataStart = headerStart + headerLength
    guard bytes.count - dataStart == rows * cols * width else {
      throw DataError(
        .npyFormat, file: file,
        "shape (\(rows), \(cols)) needs \(rows * cols * width) data bytes, file has \(bytes.count - dataStart)")
    }
    var values = [Float](repeating: 0, count: rows * cols)
    bytes.withUnsafeBufferPointer { raw in
      for index in 0..<(rows * cols) {
        var bits: UInt64 = 0
        let base = dataStart + index * width
        for b in 0..<width {
          let shift = bigEndian ? 8 * (width - 1 - b) : 8 * b
          bits |= UInt64(raw[base + b]) << UInt64(shift)
        }
        values[index] = width == 4 ? Float(bitPattern: UInt32(bits)) : Float(Double(bitPattern: bits))
      }
    }
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
      throw DataError(
        .nonFinite, file: file, line: bad / cols + 1, column: bad % cols + 1,
        "row \(bad / cols + 1), feature \(bad % cols + 1) is \(values[bad]); features must be finite",
        help: "replace NaN/Inf (numpy.nan_to_num) or leave the item out of the id list")
    }
    return NumPyMatrix(rows: rows, cols: cols, values: values)
  }

  /// Encodes a row-major float32 matrix as .npy version 1.0 (header padded to 64 bytes).
  public static func encode(rows: Int, cols: Int, values: [Float]) -> [UInt8] {
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(cols)), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
    let length = header.utf8.count
    bytes += [UInt8(length & 0xff), UInt8(length >> 8)]
    bytes += Array(header.utf8)
    for value in values {
      let bits = value.bitPattern
      for b in 0..<4 { bytes.append(UInt8((bits >> UInt32(8 * b)) & 0xff)) }
    }
    return bytes
  }
}

/// The Python literals a .npy header uses.
private enum HeaderValue {
  case string(String)
  case bool(Bool)
  case tuple([Int])
}

/// Parses the header dict: `{` (key `:` value `,`?)* `}` with string keys and values that are
/// strings, True/False, or tuples of integers.
private struct HeaderParser {
  let scalars: [Character]
  let file: String
  var position = 0

  init(text: String, file: String) {
    self.scalars = Array(text)
    self.file = file
  }

  private func fail(_ what: String) -> DataError {
    DataError(.npyFormat, file: file, "bad header at character \(position + 1): \(what): \(String(scalars))")
  }

  private mutating func skipSpace() {
    while position < scalars.count, scalars[position].isWhitespace { position += 1 }
  }

  private mutating func expect(_ c: Character) throws {
    skipSpace()
    guard position < scalars.count, scalars[position] == c else { throw fail("expected '\(c)'") }
    position += 1
  }

  private mutating func peek() -> Character? {
    skipSpace()
    return position < scalars.count ? scalars[position] : nil
  }

  mutating func parseDict() throws -> [String: HeaderValue] {
    var result: [String: HeaderValue] = [:]
    try expect("{")
    while peek() != "}" {
      let key = try parseString()
      try expect(":")
      result[key] = try parseValue()
      if peek() == "," { position += 1 } else { break }
    }
    try expect("}")
    return result
  }

  private mutating func parseString() throws -> String {
    guard let quote = peek(), quote == "'" || quote == "\"" else { throw fail("expected a string") }
    position += 1
    var text = ""
    while position < scalars.count, scalars[position] != quote {
      text.append(scalars[position])
      position += 1
    }
    try expect(quote)
    return text
  }

  private mutating func parseValue() throws -> HeaderValue {
    switch peek() {
    case "'", "\"": return .string(try parseString())
    case "(":
      position += 1
      var items: [Int] = []
      while peek() != ")" {
        var digits = ""
        while position < scalars.count, scalars[position].isNumber {
          digits.append(scalars[position])
          position += 1
        }
        // numpy writes long integers with an L suffix in old files.
        if position < scalars.count, scalars[position] == "L" { position += 1 }
        guard let value = Int(digits) else { throw fail("expected an integer") }
        items.append(value)
        if peek() == "," { position += 1 } else { break }
      }
      try expect(")")
      return .tuple(items)
    default:
      for (word, value) in [("True", true), ("False", false)] {
        if Array(scalars[position...].prefix(word.count)) == Array(word) {
          position += word.count
          return .bool(value)
        }
      }
      throw fail("expected a string, a tuple, True or False")
    }
  }
}
