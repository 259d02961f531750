/// How values print: `print` shows strings bare, everything else (the REPL's echo, elements
/// inside lists and records) shows strings quoted, as Python's str and repr.
public enum ValueFormatter {
  /// `64`, `0.001`, `1e+20`, `nan`: whole numbers print without a fraction.
  public static func number(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    if value == value.rounded(), abs(value) < 1e16 { return String(Int64(value)) }
    return String(value)
  }

  /// What `print` and `str` show.
  public static func display(_ value: Value) -> String {
    if case .string(let text) = value { return text }
    return repr(value)
  }

  /// What the REPL echoes: strings quoted with escapes.
  public static func repr(_ value: Value) -> String {
    switch value {
    case .none: return "none"
    case .bool(let flag): return flag ? "true" : "false"
    case .number(let number): return self.number(number)
    case .string(let text): return quoted(text)
    case .list(let elements): return "[" + elements.map(repr).joined(separator: ", ") + "]"
    case .record(let record):
      let fields = record.fields.map { "\(isPlainName($0.key) ? $0.key : quoted($0.key)): \(repr($0.value))" }
      return "{" + fields.joined(separator: ", ") + "}"
    case .range(let range):
      let step = range.step == 1 ? "" : ", \(number(range.step))"
      return "range(\(number(range.start)), \(number(range.stop))\(step))"
    case .function(let function): return "<function \(function.header)>"
    case .builtin(let builtin): return "<builtin \(builtin.signature)>"
    case .host(let host): return host.description
    }
  }

  /// The value as an error message names it: `string "abc"`, `number 3`, `list of 2 elements`.
  public static func describeForError(_ value: Value) -> String {
    switch value {
    case .none: return "none"
    case .bool, .number: return "\(value.typeName) \(repr(value))"
    case .string(let text): return "string \(quoted(text.count > 30 ? String(text.prefix(30)) + "..." : text))"
    case .list(let elements): return "a list of \(elements.count) element\(elements.count == 1 ? "" : "s")"
    case .record(let record): return "a record with fields \(record.keys.joined(separator: ", "))"
    case .range: return "a range"
    case .function(let function): return "function \(function.name)"
    case .builtin(let builtin): return "builtin \(builtin.name)"
    case .host(let host): return "a \(host.typeName)"
    }
  }

  static func quoted(_ text: String) -> String {
    var result = "\""
    for character in text {
      switch character {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      default: result.append(character)
      }
    }
    return result + "\""
  }

  static func isPlainName(_ text: String) -> Bool {
    guard let first = text.utf8.first, Lexer.isIdentifierStart(first) else { return false }
    return text.utf8.allSatisfy(Lexer.isIdentifierPart) && Keyword(rawValue: text) == nil
  }
}
