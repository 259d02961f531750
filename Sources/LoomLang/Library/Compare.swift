import LoomGraph
import LoomLayers
import LoomRec

/// `compare(models, data, runs: 5, ...)`: each model trained `runs` times with seeds 1...runs
/// and evaluated on the test split; options that `fit` knows go to `fit`, the rest to the model
/// functions (`dim: 64`).
enum Compare {
  static let fitOptions: Set<String> = ["epochs", "batch", "lr", "l2", "loss", "negatives", "sampler", "patience", "metric",
                                        "maxlen", "mode", "fold", "clip", "validate", "threads"]

  static func run(_ a: CallArguments, _ context: CallContext) throws -> Value {
    let models = try a.list("models")
    guard !models.isEmpty else { throw a.error("compare() needs at least one model function", argument: "models") }
    let data = try a.value("data")
    let runs = try a.integer("runs")
    guard runs >= 1 else { throw a.error("compare() needs runs ≥ 1", argument: "runs") }
    let ks = try a.list("k")
    let metricNames = ["hr", "ndcg", "mrr"].flatMap { m in ks.compactMap { if case .number(let k) = $0 { "\(m)@\(Int(k))" } else { nil } } }
    guard let fitBuiltin = context.lookup("fit"), let evaluateBuiltin = context.lookup("evaluate") else {
      throw a.error("compare() needs fit and evaluate")
    }
    let fitKeywords = a.extraKeywords.filter { fitOptions.contains($0.name) }.map { ($0.name, $0.value) }
    let modelKeywords = a.extraKeywords.filter { !fitOptions.contains($0.name) }.map { ($0.name, $0.value) }
    var rows: [ComparisonValue.Row] = []
    var perUser: [[String: [Double]]] = []
    var protocolText = ""
    for (index, function) in models.enumerated() {
      guard let name = function.callableName else {
        throw Diagnostic(.typeMismatch, "compare() expects model functions such as MIN or SASRec, got \(ValueFormatter.describeForError(function))",
                         at: a.span(of: "models"), help: "pass the functions themselves: compare([MIN, SASRec], data)")
      }
      var values: [String: [Double]] = [:]
      var users: [String: [Double]] = [:]
      var seconds: [Double] = []
      for run in 1...runs {
        try context.checkCancellation()
        context.write("compare: \(name) run \(run)/\(runs)\n")
        let model = try context.call(function, [data], keywordList: name == "Pop" ? [] : modelKeywords)
        let history = try context.call(fitBuiltin, [model, data], keywordList: fitKeywords + [("seed", .number(Double(run)))])
        if case .host(let h) = history, let h = h as? HistoryValue, !h.history.records.isEmpty {
          seconds.append(h.history.records.map(\.seconds).reduce(0, +) / Double(h.history.records.count))
        }
        let maxlen = fitKeywords.filter { $0.0 == "maxlen" }
        let reportValue = try context.call(
          evaluateBuiltin, [model, data],
          keywordList: [("k", .list(ks)), ("metrics", .list([.string("hr"), .string("ndcg"), .string("mrr")]))] + maxlen)
        guard case .host(let r) = reportValue, let report = (r as? ReportValue)?.report else { continue }
        protocolText = report.evaluationProtocol.description
        for m in metricNames {
          values[m, default: []].append(report[m] ?? .nan)
          if let u = report.perUser(m) {
            let previous = users[m] ?? [Double](repeating: 0, count: u.values.count)
            users[m] = zip(previous, u.values).map { $0 + $1 / Double(runs) }
          }
        }
      }
      var row = ComparisonValue.Row(model: name, means: [:], stds: [:], pValues: [:],
                                    secondsPerEpoch: seconds.isEmpty ? 0 : seconds.reduce(0, +) / Double(seconds.count))
      for m in metricNames {
        let v = values[m] ?? []
        row.means[m] = Statistics.mean(v)
        row.stds[m] = v.count > 1 ? Statistics.standardDeviation(v) : 0
        if index > 0, let mine = users[m], let base = perUser.first?[m], mine.count == base.count {
          row.pValues[m] = (try? Statistics.pairedTTest(mine, base))?.p
        }
      }
      rows.append(row)
      perUser.append(users)
    }
    let result = ComparisonValue(metrics: metricNames, rows: rows, runs: runs, protocolText: protocolText)
    return .host(result)
  }
}
