import Foundation

/// The arithmetic, concatenation and comparison operators.
enum Operators {
  static func apply(_ op: BinaryOperator, _ left: Value, _ right: Value, at span: SourceSpan, limits: InterpreterLimits)
    throws -> Value
  {
    switch op {
    case .equal: return .bool(Equality.equal(left, right))
    case .notEqual: return .bool(!Equality.equal(left, right))
    case .less, .lessEqual, .greater, .greaterEqual: return .bool(try compare(op, left, right, at: span))
    case .add: return try add(left, right, at: span, limits: limits)
    case .multiply:
      switch (left, right) {
      case (.list(let elements), .number(let times)), (.number(let times), .list(let elements)):
        let count = try repetitions(times, length: elements.count, limit: limits.maximumListLength, at: span)
        return .list(Array([[Value]](repeating: elements, count: count).joined()))
      case (.string(let text), .number(let times)), (.number(let times), .string(let text)):
        let count = try repetitions(times, length: text.count, limit: limits.maximumStringLength, at: span)
        return .string(String(repeating: text, count: count))
      default: break
      }
    default: break
    }
    guard case .number(let a) = left, case .number(let b) = right else {
      throw Diagnostic(
        .typeMismatch,
        "cannot apply '\(op.rawValue)' to \(ValueFormatter.describeForError(left)) and \(ValueFormatter.describeForError(right))",
        at: span, help: "arithmetic needs two numbers")
    }
    switch op {
    case .subtract: return .number(a - b)
    case .multiply: return .number(a * b)
    case .divide:
      guard b != 0 else { throw Diagnostic(.divisionByZero, "division by zero", at: span) }
      return .number(a / b)
    case .remainder:
      guard b != 0 else { throw Diagnostic(.divisionByZero, "remainder of division by zero", at: span) }
      // Python's convention: the result has the sign of the divisor.
      return .number(a - b * (a / b).rounded(.down))
    default:
      return .none
    }
  }

  private static func add(_ left: Value, _ right: Value, at span: SourceSpan, limits: InterpreterLimits) throws -> Value {
    switch (left, right) {
    case (.number(let a), .number(let b)):
      return .number(a + b)
    case (.string(let a), .string(let b)):
      guard a.utf8.count + b.utf8.count <= limits.maximumStringLength else {
        throw Diagnostic(.resourceLimit, "string longer than \(limits.maximumStringLength) characters", at: span)
      }
      return .string(a + b)
    case (.list(let a), .list(let b)):
      guard a.count + b.count <= limits.maximumListLength else {
        throw Diagnostic(.resourceLimit, "list longer than \(limits.maximumListLength) elements", at: span)
      }
      return .list(a + b)
    case (.string, _), (_, .string):
      let other = left.isString ? right : left
      throw Diagnostic(
        .typeMismatch, "cannot add a string and \(ValueFormatter.describeForError(other))", at: span,
        help: "convert with str(), e.g. \"dim=\" + str(d)")
    case (.list, _), (_, .list):
      throw Diagnostic(
        .typeMismatch,
        "cannot add \(ValueFormatter.describeForError(left)) and \(ValueFormatter.describeForError(right))", at: span,
        help: "to add one element, wrap it in a list: xs + [x]")
    default:
      throw Diagnostic(
        .typeMismatch,
        "cannot add \(ValueFormatter.describeForError(left)) and \(ValueFormatter.describeForError(right))", at: span,
        help: "'+' adds numbers and joins strings or lists")
    }
  }

  private static func repetitions(_ times: Double, length: Int, limit: Int, at span: SourceSpan) throws -> Int {
    guard times == times.rounded(), times >= 0 else {
      throw Diagnostic(.invalidValue, "can only repeat a whole, non-negative number of times", at: span)
    }
    guard times * Double(length) <= Double(limit) else {
      throw Diagnostic(.resourceLimit, "result longer than \(limit) elements", at: span)
    }
    return Int(times)
  }

  private static func compare(_ op: BinaryOperator, _ left: Value, _ right: Value, at span: SourceSpan) throws -> Bool {
    let order: Int
    switch (left, right) {
    case (.number(let a), .number(let b)):
      switch op {
      case .less: return a < b
      case .lessEqual: return a <= b
      case .greater: return a > b
      default: return a >= b
      }
    case (.string(let a), .string(let b)):
      order = a == b ? 0 : (a < b ? -1 : 1)
    default:
      throw Diagnostic(
        .typeMismatch,
        "cannot compare \(ValueFormatter.describeForError(left)) and \(ValueFormatter.describeForError(right)) with '\(op.rawValue)'",
        at: span, help: "'<', '<=', '>' and '>=' compare two numbers or two strings")
    }
    switch op {
    case .less: return order < 0
    case .lessEqual: return order <= 0
    case .greater: return order > 0
    default: return order >= 0
    }
  }
}

/// `==` on values: deep for lists and records (field order does not matter), identity for
/// functions, host-defined for host values.
enum Equality {
  static func equal(_ left: Value, _ right: Value) -> Bool {
    switch (left, right) {
    case (.none, .none): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.number(let a), .number(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.list(let a), .list(let b)): return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
    case (.record(let a), .record(let b)):
      return a.count == b.count && a.fields.allSatisfy { field in b[field.key].map { equal(field.value, $0) } ?? false }
    case (.range(let a), .range(let b)): return a == b
    case (.function(let a), .function(let b)): return a === b
    case (.builtin(let a), .builtin(let b)): return a.name == b.name
    case (.host(let a), .host(let b)): return a.isEqual(to: b)
    default: return false
    }
  }
}

extension Value {
  var isString: Bool {
    if case .string = self { return true }
    return false
  }
}
