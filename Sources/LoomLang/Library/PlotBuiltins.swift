import Foundation
import LoomPlot

/// Figures through gnuplot: `plot` for histories and sweep tables, `bars` for grouped bars,
/// `heatmap` for matrices. Each writes the file named by `to:` (PNG, SVG or PDF by extension)
/// and, on a terminal, also prints a text rendering.
enum PlotBuiltins {
  static func register(in b: Builtins, environment: StandardEnvironment) {
    b.register(
      "plot(table, x: none, y: [], by: none, error: none, to: \"plot.png\", title: none, width: 800, height: 500, logx: false)",
      doc:
        "lines: a history (x = epoch) or a list of records (one series per `by` value); error: error-bar column(s); logx: a base-2 log x axis"
    ) { a, context in
      let rows = try tableRows(a, "table")
      var x = try optionalString(a, "x")
      if x == nil, case .host(let h) = try a.value("table"), h is HistoryValue { x = "epoch" }
      let figure = try Figure.plot(
        rows, x: x, y: try columns(a, "y"), by: try optionalString(a, "by"),
        error: try optionalColumns(a, "error"),
        title: try optionalString(a, "title"), size: try size(a), logX: try a.bool("logx"))
      return try draw(figure, a, context, environment)
    }
    b.register(
      "bars(table, x: \"model\", y: [], by: none, error: none, to: \"bars.png\", title: none, width: 800, height: 500)",
      doc: "grouped bars: a compare() table (error bars = std) or a list of records (error: a column, or one per y)"
    ) { a, context in
      let rows = try tableRows(a, "table")
      let y = try columns(a, "y")
      var errors = try optionalColumns(a, "error")  // one column, or one per y column
      if errors.isEmpty, case .host(let h) = try a.value("table"), h is ComparisonValue {
        errors = y.map { $0 + " std" }
      }
      let figure = try Figure.bars(
        rows, x: try a.string("x"), y: y, by: try optionalString(a, "by"), error: errors,
        title: try optionalString(a, "title"), size: try size(a))
      return try draw(figure, a, context, environment)
    }
    b.register(
      "heatmap(matrix, to: \"heatmap.png\", title: none, width: 800, height: 700)",
      doc: "a matrix (list of lists) or an attention() result as a heat map"
    ) { a, context in
      let given = try a.value("matrix")
      var matrix: [[Double]] = []
      var labels: [String] = []
      var title = try optionalString(a, "title")
      if case .host(let h) = given, let att = h as? AttentionValue {
        guard let first = att.maps.first else { throw a.error("this model has no attention layers", argument: "matrix") }
        matrix = first.weights
        labels = att.labels
        title = title ?? "attention of user \(att.user): \(first.layer) head \(first.head)"
      } else if case .record(let r) = given, case .list(let rows)? = r["weights"] {
        matrix = try rows.map { try numbers($0, a, "matrix") }
        if case .list(let l)? = r["labels"] {
          labels = l.map { if case .string(let s) = $0 { s } else { ValueFormatter.repr($0) } }
        }
      } else if case .list(let rows) = given {
        matrix = try rows.map { try numbers($0, a, "matrix") }
      } else {
        throw a.typeError("matrix", expected: "a list of lists of numbers or an attention() result", got: given)
      }
      let figure = try Figure.heatmap(
        matrix, rowLabels: labels, columnLabels: labels, title: title,
        xLabel: labels.isEmpty ? nil : "attended item", yLabel: labels.isEmpty ? nil : "query item",
        size: try size(a))
      return try draw(figure, a, context, environment)
    }
  }

  static func draw(_ figure: Figure, _ a: CallArguments, _ context: CallContext, _ environment: StandardEnvironment) throws
    -> Value
  {
    let path = try a.string("to")
    let bytes = try environment.gnuplot.write(figure, to: path)
    if environment.collectImages {
      let png = path.lowercased().hasSuffix(".png") ? bytes : try environment.gnuplot.render(figure, as: .png)
      environment.addImage([UInt8](png), text: path)
    }
    if environment.terminal { context.write(try environment.gnuplot.text(figure)) }
    context.write("wrote \(path)\n")
    return .string(path)
  }

  static func size(_ a: CallArguments) throws -> PlotSize {
    let (w, h) = (try a.integer("width"), try a.integer("height"))
    guard w >= 100, h >= 100, w <= 10_000, h <= 10_000 else {
      throw a.error("width and height must be within 100...10000 pixels")
    }
    return PlotSize(width: w, height: h)
  }

  static func optionalString(_ a: CallArguments, _ name: String) throws -> String? {
    guard let v = a.optional(name) else { return nil }
    switch v {
    case .none: return nil
    case .string(let s): return s
    default: throw a.typeError(name, expected: "a string", got: v)
    }
  }

  /// `error: none` (no columns), `error: "std"` or `error: ["a std", "b std"]`.
  static func optionalColumns(_ a: CallArguments, _ name: String) throws -> [String] {
    guard let v = a.optional(name), !v.isNone else { return [] }
    return try columns(a, name)
  }

  /// `y: "hr20"` or `y: ["loss", "ndcg@10"]`.
  static func columns(_ a: CallArguments, _ name: String) throws -> [String] {
    let v = try a.value(name)
    switch v {
    case .string(let s): return [s]
    case .list(let l):
      let names = try l.map { e -> String in
        guard case .string(let s) = e else { throw a.typeError(name, expected: "column names", got: e) }
        return s
      }
      guard !names.isEmpty else { throw a.error("\(a.callee)() needs y: a column name or a list of them", argument: name) }
      return names
    default: throw a.typeError(name, expected: "a column name or a list of them", got: v)
    }
  }

  static func numbers(_ v: Value, _ a: CallArguments, _ name: String) throws -> [Double] {
    guard case .list(let l) = v else { throw a.typeError(name, expected: "a list of lists of numbers", got: v) }
    return try l.map { e in
      guard case .number(let n) = e else { throw a.typeError(name, expected: "numbers", got: e) }
      return n
    }
  }

  /// Rows from a history, a comparison, or a list of records.
  static func tableRows(_ a: CallArguments, _ name: String) throws -> [TableRow] {
    let v = try a.value(name)
    var records: [Record] = []
    switch v {
    case .host(let h as HistoryValue): records = h.rows
    case .host(let c as ComparisonValue): records = c.records
    case .list(let l):
      records = try l.map { e in
        guard case .record(let r) = e else { throw a.typeError(name, expected: "a list of records", got: e) }
        return r
      }
    default: throw a.typeError(name, expected: "a history, a compare() table or a list of records", got: v)
    }
    return records.map { r in
      var row = TableRow()
      for (k, value) in r.fields {
        switch value {
        case .number(let n): row[k] = .number(n)
        case .string(let s): row[k] = .text(s)
        case .bool(let b): row[k] = .text(b ? "true" : "false")
        default: break
        }
      }
      return row
    }
  }
}
