import LoomTensor
import Testing

@testable import LoomLang

/// Loom's threads split ops so that every value is the same sum in the same order as on one
/// thread (`Parallel`): training and evaluation on two threads give the same bits as on one. Each
/// model trains one epoch from the same seed on one and on two threads; every parameter must
/// be equal to the last bit, and so must the evaluation. Sizes are large enough that the
/// products, the row-wise ops, the GRU scans and dropout all split (checked by the split count).
@Suite(.serialized) struct ThreadCountTests {
  func trainAndEvaluate(_ model: String, ways: Int) throws -> (parameters: [[Float]], report: [String], splits: Int) {
    try Parallel.withWays(ways) {
      let interpreter = Interpreter(builtins: .standard(StandardEnvironment(terminal: false)), output: { _ in })
      var lines: [String] = []
      interpreter.output = { lines.append($0) }
      let before = Parallel.splitsRun
      try interpreter.run(
        SourceFile(
          name: "<test>",
          text: """
            data = synthetic(users: 300, items: 400, seed: 5)
            m = \(model)(data, dim: 64)
            fit(m, data, epochs: 1, batch: 256, validate: false, seed: 3)
            r = evaluate(m, data)
            for name in r { print("metric", name, r[name]) }
            """))
      let splits = Parallel.splitsRun - before
      guard case .host(let host)? = interpreter.global("m"), let value = host as? ModelValue,
        let recommender = value.recommender
      else {
        Issue.record("\(model): no trained model")
        return ([], [], splits)
      }
      let parameters = recommender.trainableParameters.map { Array(UnsafeBufferPointer(start: $0.value.pointer, count: $0.count)) }
      return (parameters, lines.filter { $0.hasPrefix("metric") }, splits)
    }
  }

  @Test(arguments: ["SASRec", "MIN", "GRU4Rec", "MFN4Rec", "FDSA"])
  func twoThreadsGiveTheBitsOfOne(model: String) throws {
    let one = try trainAndEvaluate(model, ways: 1)
    let two = try trainAndEvaluate(model, ways: 2)
    #expect(two.splits > 20, "\(model): only \(two.splits) splits on two threads")
    #expect(!one.parameters.isEmpty && one.parameters.count == two.parameters.count)
    for (i, (a, b)) in zip(one.parameters, two.parameters).enumerated() {
      let differing = zip(a, b).filter { $0.0.bitPattern != $0.1.bitPattern }.count
      #expect(differing == 0, "\(model): parameter \(i) differs in \(differing) of \(a.count) values")
    }
    #expect(one.report.count >= 4 && one.report == two.report)
  }
}
