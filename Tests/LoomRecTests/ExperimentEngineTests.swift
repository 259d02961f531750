import Foundation
import LoomLayers
import LoomTensor
import Testing

@testable import LoomRec

/// The experiment engine without an interpreter: a `TrainingRun` continues across `fit` calls
/// and from an autosave exactly as one uninterrupted run, and a `Comparison` aggregates its runs
/// into means, deviations and paired t-tests and takes journaled runs instead of training again.
@Suite(.serialized) struct ExperimentEngineTests {
  let data = try! Dataset.synthetic(users: 120, items: 100, seed: 5)

  func gru4rec(_ catalog: ItemCatalog) throws -> Recommender {
    let id = try Embedding.node(ItemIDs.node(catalog), dim: 8)
    return try Recommender(user: try GRU.node(SequenceLift.node(id), hidden: 8), item: id)
  }

  func settings(epochs: Int) -> TrainingSettings {
    var s = TrainingSettings()
    s.epochs = epochs
    s.batch = 32
    s.learningRate = 0.01
    s.maxlen = 20
    s.seed = 3
    s.validate = false
    s.threads = 1
    return s
  }

  func values(_ run: TrainingRun) -> [[Float]] {
    run.recommender!.trainableParameters.map { Array($0.value.buffer.prefix($0.count)) }
  }

  @Test func twoFitsContinueLikeOne() throws {
    let split = Split.leaveOneOut(data)
    let once = TrainingRun(.neural(try gru4rec(data.itemCatalog())))
    _ = try once.fit(split, settings: settings(epochs: 4), call: "GRU4Rec(data)")
    let twice = TrainingRun(.neural(try gru4rec(data.itemCatalog())))
    _ = try twice.fit(split, settings: settings(epochs: 2), call: "GRU4Rec(data)")
    #expect(twice.epochs == 2 && twice.optimizerStep > 0)
    _ = try twice.fit(split, settings: settings(epochs: 2), call: "GRU4Rec(data)")
    #expect(once.epochs == 4 && twice.epochs == 4)
    #expect(once.optimizerStep == twice.optimizerStep)
    #expect(values(once) == values(twice))
    #expect(twice.training?.hasSuffix("; ce (full softmax); 4 epochs") == true)
  }

  @Test func anAutosaveResumesWhereTheRunStopped() throws {
    let split = Split.leaveOneOut(data)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("loom-engine-\(getpid()).ckpt").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let whole = TrainingRun(.neural(try gru4rec(data.itemCatalog())))
    _ = try whole.fit(split, settings: settings(epochs: 4), call: "GRU4Rec(data)")
    let first = TrainingRun(.neural(try gru4rec(data.itemCatalog())))
    var notes: [String] = []
    // The same settings as the whole run's (only epochs may differ), stopped after two epochs.
    _ = try first.fit(
      split, settings: settings(epochs: 2), call: "GRU4Rec(data)",
      autosave: .init(path: path, call: "GRU4Rec(data)"))
    let resumed = TrainingRun(.neural(try gru4rec(data.itemCatalog())))
    _ = try resumed.fit(
      split, settings: settings(epochs: 4), call: "GRU4Rec(data)", resume: path,
      progress: { if case .note(let text) = $0 { notes.append(text) } })
    #expect(notes.first == "resuming GRU4Rec(data) from \(path) after epoch 2")
    #expect(notes.contains { $0.hasPrefix("fit GRU4Rec(data) after epoch 2: 2 epochs") })
    #expect(resumed.epochs == 4)
    #expect(values(resumed) == values(whole))
  }

  @Test func popularityIsCountedOnce() throws {
    let split = Split.leaveOneOut(data)
    let run = TrainingRun(.popularity(PopularityModel(itemCount: data.itemCount)))
    let history = try run.fit(split, settings: settings(epochs: 10), call: "Pop(data)")
    #expect(run.epochs == 1 && history.records.isEmpty && run.training == "training-split item counts")
  }

  func plan(table: String?, resume: Bool, builds: Counter) throws -> ComparisonPlan {
    let catalog = data.itemCatalog()
    let split = Split.leaveOneOut(data)
    let pop = ComparisonPlan.Row(label: "Pop", identity: "Pop = Pop(); fit()", settings: settings(epochs: 1), maxlen: nil) {
      builds.value += 1
      return (TrainingRun(.popularity(PopularityModel(itemCount: self.data.itemCount))), "Pop(data)")
    }
    let gru = ComparisonPlan.Row(
      label: "GRU4Rec", identity: "GRU4Rec = GRU4Rec(); fit(epochs: 2)", settings: settings(epochs: 2),
      maxlen: 20
    ) {
      builds.value += 1
      return (TrainingRun(.neural(try self.gru4rec(catalog))), "GRU4Rec(data)")
    }
    return ComparisonPlan(
      rows: [pop, gru], runs: 2, cutoffs: [10], split: split,
      dataDescription: ComparisonPlan.describe(data, split: .leaveOneOut), table: table, resume: resume)
  }

  final class Counter { var value = 0 }

  func observer(_ lines: Counter? = nil) -> Comparison.Observer {
    Comparison.Observer(
      say: { _ in lines?.value += 1 }, progress: { _ in }, shouldStop: { false },
      checkCancellation: {}, describe: { "\($0)" })
  }

  @Test func aComparisonAggregatesItsRuns() throws {
    let builds = Counter()
    let plan = try plan(table: nil, resume: false, builds: builds)
    let table = try Comparison(plan, observer: observer()).run()
    #expect(builds.value == 4)
    #expect(table.rows.map(\.model) == ["Pop", "GRU4Rec"])
    #expect(table.metrics == ["hr@10", "ndcg@10", "mrr@10"])
    // Popularity does not depend on the seed; the first row has no test against itself.
    #expect(table.rows[0].stds["ndcg@10"] == 0 && table.rows[0].pValues.isEmpty)
    #expect(table.rows[1].pValues["ndcg@10"] != nil)
    // The mean is the mean of the runs: run 2 alone, trained and evaluated again by hand.
    let model = TrainingRun(.neural(try gru4rec(data.itemCatalog())))
    var s = settings(epochs: 2)
    s.seed = 2
    let split = Split.leaveOneOut(data)
    _ = try model.fit(split, settings: s, call: "GRU4Rec(data)")
    let second = try model.evaluate(split, protocol: EvaluationProtocol(cutoffs: [10], maxlen: 20), metrics: ["ndcg"])["ndcg@10"]!
    s.seed = 1
    let first = TrainingRun(.neural(try gru4rec(data.itemCatalog())))
    _ = try first.fit(split, settings: s, call: "GRU4Rec(data)")
    let one = try first.evaluate(split, protocol: EvaluationProtocol(cutoffs: [10], maxlen: 20), metrics: ["ndcg"])["ndcg@10"]!
    #expect(abs(table.rows[1].means["ndcg@10"]! - (one + second) / 2) < 1e-12)
    #expect(table.markdown.hasPrefix("| model | training | hr@10 (p vs Pop) |"))
  }

  @Test func aResumedComparisonTakesJournaledRuns() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-engine-compare-\(getpid())")
    try? FileManager.default.removeItem(at: directory)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let table = directory.appendingPathComponent("t.md").path
    let builds = Counter()
    let before = try Comparison(try plan(table: table, resume: false, builds: builds), observer: observer()).run()
    #expect(builds.value == 4)
    let after = try Comparison(try plan(table: table, resume: true, builds: builds), observer: observer()).run()
    #expect(builds.value == 4)  // nothing trained again
    #expect(after.markdown == before.markdown)
    #expect(try String(contentsOfFile: table, encoding: .utf8) == before.markdown)
  }
}
