import ArgumentParser
import Foundation
import Glibc
import LoomFiles
import LoomGraph
import LoomLang
import LoomLayers
import LoomRec
import LoomTensor

/// `loom bench min|mfn4rec|sasrec|gru4rec`: one model's training epoch and full-ranking
/// evaluation on MovieLens-100k-shaped synthetic data, doing the work of bench/torch-ref:
/// leave-one-out, the last 50 items of each user, batch 256, Adam (lr 1e-3); MIN with d = 100,
/// every position a target with one popularity-sampled negative, L2 1e-4; MFN4Rec with GRU
/// hidden size 20 (Table 1) and the full softmax at every position. Medians of `--epochs` timed
/// epochs after `--warmup`, wall and process CPU time; evaluation encodes every item each pass.
struct ModelBenchmark {
  enum Kind: String { case min, mfn4rec, sasrec, gru4rec }

  let model: Kind
  let options: BenchOptions
  var threads: Int { options.threads }
  var epochs: Int { options.epochs }
  var warmup: Int { options.warmup }
  var scale: Double { options.scale }
  var json: String? { options.json }
  var profile: Bool { options.profile }

  /// The models in Loom, as the reference builds them.
  static func source(_ kind: Kind) -> String {
    switch kind {
    case .min: return "model = MIN(data, dim: 100)"
    case .sasrec: return "model = SASRec(data, dim: 100)"
    case .gru4rec: return "model = GRU4Rec(data, dim: 100)"
    case .mfn4rec:
      // MFN4Rec as in the prelude, with the precomputed 100-d TF-IDF text vectors of the
      // reference instead of a learned word table (torch-ref: "precomputed and not timed").
      return """
        def MFN4RecBench(data, dim: 20, size: 20, dropout: 0.3) {
          id = embed(items(data), dim)
          hm = gru(seq(embed(items(data), 25)), dim)
          hf = gru(seq(features(data, "visual")), dim)
          hg = gru(seq(features(data, "text")), dim)
          u  = memory(hm, hf, hg, size: size, hidden: 50, dropout: dropout)
          recommender(user: dense(concat(hm, hf, hg, u), dim, dropout: dropout), item: id)
        }
        model = MFN4RecBench(data)
        """
    }
  }

  func run() throws {
    guard epochs >= 1, warmup >= 0, threads >= 1, scale > 0, scale <= 100 else {
      throw ValidationError("need epochs ≥ 1, warmup ≥ 0, threads ≥ 1 and 0 < scale ≤ 100")
    }
    BLAS.threads = threads
    let data = BenchmarkData.make(model == .mfn4rec ? .mfn4rec : .min, scale: scale)
    let interpreter = Interpreter(builtins: .standard(StandardEnvironment(terminal: false)), output: { _ in })
    let dataValue = DatasetValue(data)
    interpreter.setGlobal("data", .host(dataValue))
    do {
      try interpreter.run(SourceFile(name: "<bench>", text: Self.source(model)))
    } catch {
      throw ValidationError(DiagnosticRenderer.render(error.diagnostics))
    }
    guard case .host(let h)? = interpreter.global("model"), let built = h as? ModelValue, let r = built.recommender else {
      throw ValidationError("the bench model did not build")
    }
    let split = try dataValue.split()
    var s = TrainingSettings()
    s.epochs = 1
    s.batch = 256
    s.learningRate = 1e-3
    s.maxlen = 50
    s.mode = .last
    s.lengthBuckets = options.buckets
    s.validate = false
    s.sampler = .popularity
    s.objective = model == .mfn4rec ? .ce : .bce(negatives: 1)
    s.l2 = model == .mfn4rec ? 0 : 1e-4
    r.initialize(seed: 1)
    let profiler = profile || options.profileShapes ? OpProfiler(byShape: options.profileShapes) : nil
    let adam = Adam(learningRate: s.learningRate, weightDecay: s.l2)
    print(
      "\(model.rawValue): \(data.userCount) users, \(data.itemCount) items, \(data.interactionCount) interactions; "
        + "\(Recommender.grouped(r.parameterCount)) parameters; threads \(threads)")

    // What an epoch trains on: with mode "last" the targets grow with users × min(history, maxlen),
    // not with interactions, which is what the scale curves are read against.
    let instances = try TrainingInstances(split: split, mode: s.mode, maxlen: s.maxlen)
    print("  \(instances)\(s.lengthBuckets ? ", length buckets" : "")")

    var wall: [Double] = []
    var cpu: [Double] = []
    var flops: [Double] = []
    var communication: [(seconds: Double, bytes: Int, calls: Int)] = []
    for epoch in 0..<(warmup + epochs) {
      let reduced = DistributedRun.group.map { ($0.reduceSeconds, $0.reducedBytes, $0.reduceCalls) }
      if epoch == warmup { r.profiler = profiler }  // profile the timed epochs only
      let (t0, c0, f0) = (monotonicSeconds(), processCPUSeconds(), r.trainingFLOPs)
      let history = try Trainer(settings: s).fit(r, split: split, optimizer: adam, startEpoch: epoch)
      let (dt, dc) = (monotonicSeconds() - t0, processCPUSeconds() - c0)
      let loss = history.records.first?.losses.first?.value ?? .nan
      print(
        String(
          format: "  epoch %d%@ %.3f s wall, %.3f s cpu, loss %.4f", epoch + 1, epoch < warmup ? " (warm-up)" : "", dt, dc, loss))
      if epoch >= warmup {
        wall.append(dt)
        cpu.append(dc)
        flops.append(r.trainingFLOPs - f0)
        if let group = DistributedRun.group, let reduced {
          communication.append(
            (group.reduceSeconds - reduced.0, group.reducedBytes - reduced.1, group.reduceCalls - reduced.2))
        }
      }
    }
    r.profiler = nil
    if let profiler { print(profiler.report(limit: options.profileShapes ? 40 : 15)) }
    if let group = DistributedRun.group, !communication.isEmpty {
      let median = communication.sorted { $0.seconds < $1.seconds }[communication.count / 2]
      // Rank 0's view; the time includes waiting for the slower rank at each step.
      print(
        String(
          format: "  %d ranks: allreduce %.3f s of the epoch (%.1f%%), %d calls, %.1f MiB summed a step",
          group.size, median.seconds, 100 * median.seconds / wall.sorted()[wall.count / 2], median.calls,
          Double(median.bytes) / Double(max(median.calls, 1)) / 1_048_576))
    }
    let setup = EvaluationProtocol(split: split.kind, part: .test, cutoffs: [20], excludeHistory: false, maxlen: 50)
    var evalWall: [Double] = []
    var evalCPU: [Double] = []
    var last: EvaluationReport?
    let evaluationProfiler = profile || options.profileShapes ? OpProfiler(byShape: options.profileShapes) : nil
    for pass in 0..<(warmup + epochs) {
      if pass == warmup { r.profiler = evaluationProfiler }
      r.parametersChanged()  // every pass encodes all items again, as the reference's does
      let (t0, c0) = (monotonicSeconds(), processCPUSeconds())
      last = try Evaluator.evaluate(
        split: split, protocol: setup, metrics: ["hr@20", "ndcg@20"], byLength: options.buckets,
        score: r.scorer(maxlen: 50, lengthBuckets: options.buckets))
      if pass >= warmup {
        evalWall.append(monotonicSeconds() - t0)
        evalCPU.append(processCPUSeconds() - c0)
      }
    }
    r.profiler = nil
    if let evaluationProfiler {
      print("evaluation passes:\n" + evaluationProfiler.report(limit: options.profileShapes ? 40 : 15))
    }
    func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    let result = ModelBenchmarkResult(
      model: model.rawValue, threads: threads, epochSeconds: median(wall), epochCPUSeconds: median(cpu),
      sequencesPerSecond: Double(data.userCount) / median(wall), evaluationSeconds: median(evalWall),
      evaluationCPUSeconds: median(evalCPU), peakRSSMiB: Double(usage.ru_maxrss) / 1024, parameters: r.parameterCount,
      gflops: median(flops) / median(wall) / 1e9, users: data.userCount, items: data.itemCount,
      interactions: data.interactionCount, rows: instances.rows.count,
      programsCompiled: r.trainingCompilations, compileSeconds: r.trainingCompilationSeconds,
      trainingArenaMiB: r.trainingArena.capacityMiB, targets: instances.targetCount, scale: scale, buckets: options.buckets)
    print(
      String(
        format: "  %d training programs compiled over %d epochs in %.1f s; training arena %.0f MiB",
        r.trainingCompilations, warmup + epochs, r.trainingCompilationSeconds, r.trainingArena.capacityMiB))
    print(
      String(
        format: "epoch %.3f s (cpu %.3f s), %.1f seq/s, %.1f GFLOP/s; eval %.3f s (cpu %.3f s); peak RSS %.0f MiB",
        median(wall), median(cpu), Double(data.userCount) / median(wall), median(flops) / median(wall) / 1e9,
        median(evalWall), median(evalCPU), Double(usage.ru_maxrss) / 1024))
    if let last {
      print(
        String(format: "sanity: HR@20 %.4f, NDCG@20 %.4f (meaningless on random data)", last["hr@20"] ?? 0, last["ndcg@20"] ?? 0))
    }
    if let json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      let data = try encoder.encode(result)
      try writeAtomically(data, to: json)
      print("wrote \(json)")
    }
  }
}

/// What `loom bench <model> --json` writes: medians of the timed epochs and evaluation passes
/// (seconds, wall and CPU), throughput, memory and the sizes they were measured at.
struct ModelBenchmarkResult: Encodable {
  var model: String
  var threads: Int
  var epochSeconds: Double
  var epochCPUSeconds: Double
  var sequencesPerSecond: Double
  var evaluationSeconds: Double
  var evaluationCPUSeconds: Double
  var peakRSSMiB: Double
  var parameters: Int
  var gflops: Double
  var users: Int
  var items: Int
  var interactions: Int
  /// Training rows of an epoch.
  var rows: Int
  var programsCompiled: Int
  var compileSeconds: Double
  var trainingArenaMiB: Double
  var targets: Int
  var scale: Double
  var buckets: Bool

  enum CodingKeys: String, CodingKey {
    case model, threads
    case epochSeconds = "epoch_s"
    case epochCPUSeconds = "epoch_cpu_s"
    case sequencesPerSecond = "seqs_per_s"
    case evaluationSeconds = "eval_s"
    case evaluationCPUSeconds = "eval_cpu_s"
    case peakRSSMiB = "peak_rss_mib"
    case parameters = "params"
    case gflops, users, items, interactions, rows
    case programsCompiled = "programs_compiled"
    case compileSeconds = "compile_s"
    case trainingArenaMiB = "training_arena_mib"
    case targets, scale, buckets
  }
}

/// `loom bench min` etc.: the model benchmarks under their own names.
struct BenchMIN: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "min", abstract: "MIN (d = 100) training epoch and evaluation.")
  @OptionGroup var options: BenchOptions
  func run() throws { try options.run(.min) }
}
struct BenchMFN4Rec: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mfn4rec", abstract: "MFN4Rec (hidden 20) training epoch and evaluation.")
  @OptionGroup var options: BenchOptions
  func run() throws { try options.run(.mfn4rec) }
}
struct BenchSASRec: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sasrec", abstract: "SASRec (d = 100) training epoch and evaluation.")
  @OptionGroup var options: BenchOptions
  func run() throws { try options.run(.sasrec) }
}
struct BenchGRU4Rec: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gru4rec", abstract: "GRU4Rec (d = 100) training epoch and evaluation.")
  @OptionGroup var options: BenchOptions
  func run() throws { try options.run(.gru4rec) }
}

struct BenchOptions: ParsableArguments {
  @Option(help: "Threads each large op is split over (OpenBLAS itself runs on one).") var threads: Int = 1
  @Option(help: "Timed epochs and evaluation passes (the median is reported).") var epochs: Int = 3
  @Option(help: "Untimed warm-up epochs and passes.") var warmup: Int = 1
  @Option(help: "Data size as a multiple of ml-100k's interactions (12: MIN's MovieLens, 55k users, 6k items).") var scale:
    Double = 1
  @Flag(
    help:
      "Batch rows (and evaluated users) of similar length, each batch only as wide as its longest row (fit's buckets: true); off matches torch-ref's work."
  ) var buckets = false
  @Option(help: "Write the results as JSON to this file.") var json: String?
  @Flag(help: "Time every op and print where the training time goes.") var profile = false
  @Flag(help: "Like --profile, one row per op, detail and input shapes (splits the matrix products by size).")
  var profileShapes = false

  func run(_ kind: ModelBenchmark.Kind) throws { try ModelBenchmark(model: kind, options: self).run() }
}
