import LoomRec

/// The table `compare` returns (`ComparisonTable`) as a Loom value: printed as aligned columns,
/// indexable as one record per model (`model`, each metric's mean, `METRIC std`, `METRIC p`,
/// `training`, `s/epoch`, `s to best`), and plotted by `bars`.
public final class ComparisonValue: HostValue {
  public let table: ComparisonTable
  public init(_ table: ComparisonTable) { self.table = table }

  public var records: [Record] {
    table.rows.map { r in
      var keys = ["model"]
      var values: [Value] = [.string(r.model)]
      for m in table.metrics {
        keys += [m, m + " std", m + " p"]
        values += [.number(r.means[m] ?? .nan), .number(r.stds[m] ?? .nan), r.pValues[m].map { .number($0) } ?? .none]
      }
      keys += ["training", "s/epoch", "s to best"]
      values += [.string(r.training), .number(r.secondsPerEpoch), .number(r.secondsToBest)]
      return Record(keys: keys, values: values)
    }
  }

  public var typeName: String { "comparison" }
  public var markdown: String { table.markdown }
  public var description: String { table.text }
  public var html: String? {
    let cells = table.cells
    return HTMLTable.render(header: cells[0], rows: Array(cells.dropFirst()), notes: [table.footer])
  }
  public var length: Int? { table.rows.count }
  public func elements() throws -> [Value]? { records.map { .record($0) } }
  public func element(at index: Value) throws -> Value? {
    guard case .number(let n) = index, Int(n) >= 0, Int(n) < table.rows.count else { return nil }
    return .record(records[Int(n)])
  }
}
