/// Values written as literals: used for builtin defaults in signatures and for `--set name=value`.
public enum LiteralValue {
  /// The value of `text` if it is a single literal expression: a number (with optional minus),
  /// string, `true`/`false`/`none`, or a list or record of literals.
  public static func parse(_ text: String) -> Value? {
    let result = Parser.parse(SourceFile(name: "<literal>", text: text))
    guard result.diagnostics.isEmpty, result.program.statements.count == 1,
      case .expression(let expression) = result.program.statements[0]
    else { return nil }
    return value(of: expression)
  }

  static func value(of expression: Expr) -> Value? {
    switch expression {
    case .number(let number, _): return .number(number)
    case .string(let text, _): return .string(text)
    case .bool(let flag, _): return .bool(flag)
    case .none: return Value.none
    case .list(let elements, _):
      var values: [Value] = []
      for element in elements {
        guard let value = value(of: element) else { return nil }
        values.append(value)
      }
      return .list(values)
    case .record(let entries, _):
      var record = Record()
      for entry in entries {
        guard let value = value(of: entry.value) else { return nil }
        record[entry.key] = value
      }
      return .record(record)
    default:
      return nil
    }
  }
}
