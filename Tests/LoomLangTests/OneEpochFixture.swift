import LoomTensor
import Testing

@testable import LoomLang

/// One epoch of `model` on 300 synthetic users from fixed seeds, then its evaluation: every
/// trained parameter and the printed metrics, for the tests that two ways of running must give
/// the same bits (thread counts, first writers).
struct OneEpochRun {
  var parameters: [[Float]]
  var report: [String]

  init(_ model: String) throws {
    let run = RecordingInterpreter()
    try run.run(
      """
      data = synthetic(users: 300, items: 400, seed: 5)
      m = \(model)(data, dim: 64)
      fit(m, data, epochs: 1, batch: 256, validate: false, seed: 3)
      r = evaluate(m, data)
      for name in r { print("metric", name, r[name]) }
      """)
    report = run.lines.filter { $0.hasPrefix("metric") }
    guard case .host(let host)? = run.interpreter.global("m"), let value = host as? ModelValue,
      let recommender = value.recommender
    else {
      Issue.record("\(model): no trained model")
      parameters = []
      return
    }
    parameters = recommender.trainableParameters.map { Array(UnsafeBufferPointer(start: $0.value.pointer, count: $0.count)) }
  }

  /// Records an issue for every parameter that differs from `other`'s in any bit, and for
  /// metrics that differ.
  func expectSameBits(as other: OneEpochRun, _ what: String) {
    #expect(!parameters.isEmpty && parameters.count == other.parameters.count, "\(what): parameter count")
    for (i, (a, b)) in zip(parameters, other.parameters).enumerated() {
      let differing = zip(a, b).filter { $0.0.bitPattern != $0.1.bitPattern }.count
      #expect(differing == 0, "\(what): parameter \(i) differs in \(differing) of \(a.count) values")
    }
    #expect(report.count >= 4 && report == other.report, "\(what): metrics differ")
  }
}
