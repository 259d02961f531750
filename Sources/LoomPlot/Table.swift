import Foundation

/// One cell of a table handed to a plot: a number, or a text such as a model name.
/// Tables are rows of named cells, `[String: TableValue]`, because sweep results mix the two
/// (`{model: "MIN", dim: 50, hr20: 0.31}`); histories are all numbers and may be passed as
/// `[[String: Double]]`.
public enum TableValue: Sendable, Hashable {
  case number(Double)
  case text(String)

  /// The text a value shows as a series name, group name or tick label. Whole numbers lose
  /// their ".0" so a sweep over `dim` reads "50", not "50.0".
  public var label: String {
    switch self {
    case .text(let text):
      return text
    case .number(let value):
      if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
        return String(Int64(value))
      }
      return String(value)
    }
  }
}

extension TableValue: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
  public init(floatLiteral value: Double) { self = .number(value) }
  public init(integerLiteral value: Int) { self = .number(Double(value)) }
  public init(stringLiteral value: String) { self = .text(value) }
}

/// A row of a table: column name to value. A missing key means the row has no value there.
public typealias TableRow = [String: TableValue]

/// Column checks shared by the figure builders, so each error names the figure and the
/// columns that do exist.
struct TableColumns {
  let figure: String
  let rows: [TableRow]

  /// Every column name, in first-seen order over the rows (each row's keys sorted).
  var names: [String] {
    var seen = Set<String>()
    var ordered: [String] = []
    for row in rows {
      for key in row.keys.sorted() where seen.insert(key).inserted {
        ordered.append(key)
      }
    }
    return ordered
  }

  func require(_ column: String) throws {
    if !rows.contains(where: { $0[column] != nil }) {
      throw PlotError.missingColumn(figure: figure, column: column, available: names)
    }
  }

  /// The number in `column` of row `index`: nil when absent, an error when it is text.
  func number(_ column: String, row index: Int) throws -> Double? {
    switch rows[index][column] {
    case nil:
      return nil
    case .number(let value):
      return value
    case .text(let text):
      throw PlotError.notANumber(figure: figure, column: column, row: index, text: text)
    }
  }

  /// Distinct labels of `column`, in order of first appearance (rows without it read "none"),
  /// and for each row the index of its label.
  func groups(_ column: String) -> (labels: [String], rowGroup: [Int]) {
    var index: [String: Int] = [:]
    var labels: [String] = []
    var rowGroup: [Int] = []
    for row in rows {
      let label = row[column]?.label ?? "none"
      if let group = index[label] {
        rowGroup.append(group)
      } else {
        index[label] = labels.count
        rowGroup.append(labels.count)
        labels.append(label)
      }
    }
    return (labels, rowGroup)
  }
}

extension Array where Element == [String: Double] {
  /// The same table with every cell a number.
  var tableRows: [TableRow] {
    map { row in row.mapValues { TableValue.number($0) } }
  }
}
