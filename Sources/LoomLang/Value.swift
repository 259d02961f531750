/// A Loom value. Lists and records are values (copied on assignment, as Swift arrays are);
/// functions, builtins and host values are shared references.
public enum Value {
  case none
  case bool(Bool)
  case number(Double)
  case string(String)
  case list([Value])
  case record(Record)
  /// `range(start, stop, step)`, iterated lazily so `range(1e12)` costs nothing until used.
  case range(NumberRange)
  case function(Function)
  case builtin(Builtin)
  /// A value owned by another module: a data set, a layer node, a model, a history, a report.
  case host(any HostValue)

  /// The name used in messages and by `type()`: `number`, `list`, `dataset`, ...
  public var typeName: String {
    switch self {
    case .none: return "none"
    case .bool: return "bool"
    case .number: return "number"
    case .string: return "string"
    case .list: return "list"
    case .record: return "record"
    case .range: return "range"
    case .function: return "function"
    case .builtin: return "builtin"
    case .host(let host): return host.typeName
    }
  }

  /// The name of a function or builtin, for messages about calls.
  public var callableName: String? {
    switch self {
    case .function(let function): return function.name
    case .builtin(let builtin): return builtin.name
    default: return nil
    }
  }

  /// How deeply lists and records nest inside this value (a number is 0, `[1]` is 1), counted
  /// only up to `limit + 1` so that the check stays cheap on large values.
  public func nestingDepth(limit: Int) -> Int {
    guard limit >= 0 else { return 1 }
    switch self {
    case .list(let elements):
      var deepest = 0
      for element in elements {
        switch element {
        case .list, .record:
          deepest = max(deepest, element.nestingDepth(limit: limit - 1))
          if deepest > limit { return deepest + 1 }
        default: continue
        }
      }
      return deepest + 1
    case .record(let record):
      return Value.list(record.values).nestingDepth(limit: limit)
    default:
      return 0
    }
  }
}

/// A record: named fields in the order they were written, `{dim: 64, lr: 0.001}`.
public struct Record {
  public private(set) var keys: [String]
  public private(set) var values: [Value]

  public init() {
    keys = []
    values = []
  }

  public init(_ fields: KeyValuePairs<String, Value>) {
    self.init()
    for (key, value) in fields { self[key] = value }
  }

  public init(keys: [String], values: [Value]) {
    self.init()
    for (key, value) in zip(keys, values) { self[key] = value }
  }

  public var count: Int { keys.count }

  /// Reading a missing field gives nil; writing a new field appends it.
  public subscript(key: String) -> Value? {
    get { keys.firstIndex(of: key).map { values[$0] } }
    set {
      if let index = keys.firstIndex(of: key) {
        if let newValue {
          values[index] = newValue
        } else {
          keys.remove(at: index)
          values.remove(at: index)
        }
      } else if let newValue {
        keys.append(key)
        values.append(newValue)
      }
    }
  }

  public var fields: [(key: String, value: Value)] { Array(zip(keys, values)).map { ($0, $1) } }
}

/// The numbers start, start + step, ... stopping before `stop`, as Python's range.
public struct NumberRange: Sendable, Equatable {
  public let start: Double
  public let stop: Double
  public let step: Double

  public init(start: Double, stop: Double, step: Double) {
    self.start = start
    self.stop = stop
    self.step = step
  }

  public var count: Int {
    let raw = ((stop - start) / step).rounded(.up)
    guard raw.isFinite, raw > 0 else { return 0 }
    return raw >= Double(Int.max) ? Int.max : Int(raw)
  }

  public func element(_ index: Int) -> Double { start + Double(index) * step }
}
