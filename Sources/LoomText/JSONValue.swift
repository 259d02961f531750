/// A JSON value as a model file writes it, before a reader asks for the type it needs: the
/// typed form of what JSONSerialization returned, so that a setting of the wrong type is an
/// error naming its key rather than a failed cast.
enum JSONValue: Decodable, Equatable, Sendable, CustomStringConvertible {
  case null
  case bool(Bool)
  case integer(Int)
  /// A number that is not an Int (a fraction, an exponent, or too large).
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    // Numbers first: a vocabulary is thousands of them.
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Int.self) {
      self = .integer(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  /// The value of a number. true and false read as 1 and 0, as they did through NSNumber, so a
  /// file that writes 1 for true (or the reverse) reads as before.
  var number: Double? {
    switch self {
    case .integer(let value): return Double(value)
    case .number(let value): return value
    case .bool(let value): return value ? 1 : 0
    default: return nil
    }
  }

  /// A number cut towards zero to an Int (safetensors shapes and offsets), nil when it does not fit.
  var truncatedInteger: Int? {
    switch self {
    case .integer(let value): return value
    case .number(let value): return Int(exactly: value.rounded(.towardZero))
    case .bool(let value): return value ? 1 : 0
    default: return nil
    }
  }

  var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  var array: [JSONValue]? {
    if case .array(let value) = self { return value }
    return nil
  }

  var object: [String: JSONValue]? {
    if case .object(let value) = self { return value }
    return nil
  }

  /// The value as error messages show it: a string bare, true and false as 1 and 0 (as
  /// NSNumber prints them), strings inside arrays and objects quoted, an object's keys sorted.
  var description: String {
    switch self {
    case .string(let value): return value
    default: return nested
    }
  }

  private var nested: String {
    switch self {
    case .null: return "<null>"
    case .bool(let value): return value ? "1" : "0"
    case .integer(let value): return "\(value)"
    case .number(let value): return "\(value)"
    case .string(let value): return value.debugDescription
    case .array(let values): return "[" + values.map(\.nested).joined(separator: ", ") + "]"
    case .object(let values):
      if values.isEmpty { return "[:]" }
      return "["
        + values.sorted { $0.key < $1.key }.map { "\($0.key.debugDescription): \($0.value.nested)" }.joined(separator: ", ") + "]"
    }
  }
}
