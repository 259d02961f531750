import LoomRec

/// What `fit` returns: one record per epoch (`epoch`, `loss`, each loss term, validation
/// metrics, `seconds`), indexable like a list and by column (`h["loss"]`).
public final class HistoryValue: HostValue {
  public let history: TrainingHistory
  public init(_ history: TrainingHistory) { self.history = history }

  public var rows: [Record] {
    history.records.map { r in
      var keys = ["epoch"]
      var values: [Value] = [.number(Double(r.epoch))]
      for (name, value) in r.losses {
        keys.append(name)
        values.append(.number(value))
      }
      for (name, value) in r.validation.sorted(by: { $0.key < $1.key }) {
        keys.append(name)
        values.append(.number(value))
      }
      keys.append("seconds")
      values.append(.number(r.seconds))
      return Record(keys: keys, values: values)
    }
  }

  public var typeName: String { "history" }
  public var description: String { "history: " + history.summary }
  public var fieldNames: [String] { ["best_epoch", "epochs", "stopped"] + (rows.first?.keys ?? []) }
  public var length: Int? { history.records.count }
  public func elements() throws -> [Value]? { rows.map { .record($0) } }
  public func element(at index: Value) throws -> Value? {
    switch index {
    case .number(let n):
      let rows = self.rows
      let i = Int(n) < 0 ? rows.count + Int(n) : Int(n)
      guard i >= 0, i < rows.count else { return nil }
      return .record(rows[i])
    case .string(let column):
      return .list(rows.map { $0[column] ?? .none })
    default: return nil
    }
  }
  public func field(_ name: String) throws -> Value? {
    switch name {
    case "best_epoch": return history.bestEpoch.map { .number(Double($0)) } ?? Value.none
    case "epochs": return .number(Double(history.records.count))
    case "stopped":
      switch history.stop {
      case .completed: return .string("completed")
      case .earlyStopped: return .string("early")
      case .interrupted: return .string("interrupted")
      case .nonFinite: return .string("nan")
      }
    default:
      return try element(at: .string(name)).flatMap { v in if case .list(let l) = v, l.isEmpty { return nil } else { return v } }
    }
  }
}
