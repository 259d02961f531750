import Foundation
import LoomRec
import Testing

/// The built `loom` under a real `mpirun` (Open MPI, `--oversubscribe`; as root with Open MPI's
/// environment variables for it): an unchanged script trains and evaluates on 2 processes as on
/// 1, the ranks stay identical, and a failing, killed or interrupted rank ends the job instead
/// of hanging it. Skipped, saying so, where mpirun is not installed.
@Suite(.serialized, .enabled(if: MPIJob.mpirun != nil, "mpirun not found (Scripts/setup.sh installs openmpi-bin)"))
struct MPIRunTests {
  let folder: String = {
    let path = NSTemporaryDirectory() + "loom-mpi-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }()

  /// Without validation, so that which epoch is kept cannot flip on a near-tie between two
  /// epochs (sharded validation runs in the compare test; sharded evaluation is tested exactly).
  /// MIN-s (MIN's item-wise layers: two encoder-decoders) has a reconstruction loss, a mean over
  /// input positions, beside the main term, a mean over targets, and no dropout: what a shard
  /// draws at random (dropout masks, L_ss's shuffled negatives) is the one thing data-parallel
  /// training does not reproduce. (MIN's own `dropout:` does not reach its cross-attention
  /// layers, which keep crossatt's 0.1, so MIN cannot be made dropout-free from its arguments.)
  func script(epochs: Int = 2, extra: String = "") -> String {
    """
    out = "model.ckpt"
    autosave = none
    resume = none
    data = synthetic(users: 300, items: 400, seed: 2)
    m = MIN_s(data, dim: 16)
    h = fit(m, data, epochs: \(epochs), batch: 50, validate: false, autosave: autosave, resume: resume)
    save(m, out)
    \(extra)
    """
  }

  func write(_ text: String, _ name: String) throws -> String {
    let path = folder + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  func parameters(_ path: String) throws -> [String: [Float]] {
    let checkpoint = try Checkpoint.read(from: path)
    return Dictionary(uniqueKeysWithValues: checkpoint.parameters.map { ($0.name, $0.values) })
  }

  @Test func twoProcessesTrainLikeOneAndTwoRunsAreIdentical() throws {
    let file = try write(script(), "train.loom")
    var runs: [String: [String: [Float]]] = [:]
    for (name, np) in [("np1", 1), ("np2", 2), ("np2-again", 2)] {
      let result = try MPIJob.run(np: np, ["run", file, "--set", "out=\(folder)/\(name).ckpt"], in: folder)
      #expect(result.status == 0, "\(name): \(result.stderr)")
      runs[name] = try parameters("\(folder)/\(name).ckpt")
    }
    let (one, two, again) = (try #require(runs["np1"]), try #require(runs["np2"]), try #require(runs["np2-again"]))
    #expect(two == again, "two np 2 runs are bitwise identical")
    #expect(Set(one.keys) == Set(two.keys))
    var worst: Float = 0
    for (name, values) in one {
      for (a, b) in zip(values, two[name] ?? []) { worst = max(worst, abs(a - b)) }
    }
    // The shards' gradients sum to the batch's in another order of float additions (relative
    // ~1e-7). Adam divides each element's step by √v, so where a gradient is itself at the level
    // of that noise the step can differ by up to lr: the same happens to np 1 when only
    // OpenBLAS's thread count changes. 14 steps at lr 0.001: measured 4e-6; the bound is 1e-4.
    #expect(worst < 1e-4, "largest parameter difference between np 1 and np 2: \(worst)")
    print("MIN-s, np 1 against np 2 after 14 steps: largest parameter difference \(worst)")
  }

  @Test func everyStepLeavesTheRanksIdentical() throws {
    let file = try write(script(), "check.loom")
    let result = try MPIJob.run(
      np: 2, ["run", file, "--set", "out=\(folder)/checked.ckpt"], in: folder, environment: ["LOOM_CHECK_REPLICAS": "1"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!result.stderr.contains("parameters differ"))
  }

  /// The same saved parameters evaluated on 1 and on 2 processes: every metric to the last bit
  /// (printed in full: the shortest text that reads back as the same Double).
  @Test func shardedEvaluationEqualsOneProcess() throws {
    let train = try write(script(epochs: 1), "make.loom")
    #expect(try MPIJob.run(np: 1, ["run", train, "--set", "out=\(folder)/eval.ckpt"], in: folder).status == 0)
    let evaluate = try write(
      """
      data = synthetic(users: 300, items: 400, seed: 2)
      m = restore("\(folder)/eval.ckpt", data)
      for protocol in [evaluate(m, data), evaluate(m, data, sampled: 50), evaluate(m, data, split: "valid", buckets: true)] {
        for name in protocol { print(name, protocol[name]) }
      }
      """, "evaluate.loom")
    let one = try MPIJob.run(np: 1, ["run", evaluate], in: folder)
    let two = try MPIJob.run(np: 2, ["run", evaluate], in: folder)
    #expect(one.status == 0 && two.status == 0, "\(one.stderr)\(two.stderr)")
    #expect(one.stdout.split(separator: "\n").count == 36)
    #expect(one.stdout == two.stdout)
  }

  /// An autosave written by 2 processes resumes on 1 (the same global batch) as if the run had
  /// never stopped.
  @Test func anAutosaveFromTwoProcessesResumesOnOne() throws {
    let whole = try MPIJob.run(np: 1, ["run", try write(script(epochs: 2), "whole.loom"), "--set", "out=whole.ckpt"], in: folder)
    let half = try MPIJob.run(
      np: 2, ["run", try write(script(epochs: 1), "half.loom"), "--set", "out=half.ckpt", "--set", "autosave=auto.ckpt"],
      in: folder)
    let resumed = try MPIJob.run(
      np: 1, ["run", try write(script(epochs: 2), "rest.loom"), "--set", "out=resumed.ckpt", "--set", "resume=auto.ckpt"],
      in: folder)
    #expect(whole.status == 0 && half.status == 0 && resumed.status == 0, "\(whole.stderr)\(half.stderr)\(resumed.stderr)")
    #expect(resumed.stdout.contains("after epoch 1"))
    let (a, b) = (try parameters("\(folder)/whole.ckpt"), try parameters("\(folder)/resumed.ckpt"))
    let worst = a.map { name, values in zip(values, b[name] ?? []).map { abs($0 - $1) }.max() ?? 0 }.max() ?? .nan
    #expect(worst < 1e-4, "largest difference from the uninterrupted run: \(worst)")
  }

  /// `compare` under mpirun: the ranks train every run together (no run claims between them),
  /// rank 0 writes the table and journal, and a second job takes every run from the journal.
  @Test func aComparisonRunsOnTwoProcessesAndResumes() throws {
    let file = try write(
      """
      data = synthetic(users: 200, items: 300, seed: 2)
      t = compare([GRU4Rec, MIN_s], data, runs: 2, epochs: 1, dim: 8, to: "table.md", resume: true)
      print(t)
      """, "compare.loom")
    let first = try MPIJob.run(np: 2, ["run", file], in: folder)
    #expect(first.status == 0, "\(first.stderr.suffix(2000))")
    let started = { (out: String) in out.split(separator: "\n").filter { $0.hasPrefix("compare: ") && $0.hasSuffix("/2") }.count }
    #expect(started(first.stdout) == 4, "every run trained once: \(first.stdout)")
    let table = try String(contentsOfFile: folder + "/table.md", encoding: .utf8)
    #expect(table.contains("GRU4Rec") && table.contains("MIN_s"))
    let again = try MPIJob.run(np: 2, ["run", file], in: folder)
    #expect(again.status == 0, "\(again.stderr.suffix(2000))")
    #expect(again.stdout.components(separatedBy: "resumed from").count - 1 == 4, "\(again.stdout)")
    #expect(started(again.stdout) == 0)
    #expect(try String(contentsOfFile: folder + "/table.md", encoding: .utf8) == table)
  }

  /// One rank fails on its own (here: MPMD, a script with an error for rank 1 only) while rank
  /// 0 waits for it in a collective: the job ends with the failing rank's message and a
  /// non-zero status, in seconds.
  @Test func aRankThatFailsEndsTheJob() throws {
    let good = try write(script(epochs: 3), "good.loom")
    let bad = try write("data = synthetic(users: 300, items: 400, seed: 2)\nx = [1][5]\n", "bad.loom")
    let started = Date()
    let result = try MPIJob.run(processes: [["run", good], ["run", bad]], in: folder, timeout: 60)
    #expect(result.status != 0)
    #expect(!result.timedOut && Date().timeIntervalSince(started) < 60)
    #expect(result.stderr.contains("[rank 1 of 2] error: index 5 is out of range"), "\(result.stderr.suffix(2000))")
  }

  /// The REPL reads one person's input, which mpirun gives to rank 0 alone: under mpirun with
  /// several processes it refuses at once instead of leaving the ranks waiting for each other.
  @Test func theReplRefusesSeveralProcesses() throws {
    let started = Date()
    let result = try MPIJob.run(np: 2, ["repl"], in: folder, timeout: 60)
    #expect(result.status != 0 && !result.timedOut && Date().timeIntervalSince(started) < 30)
    #expect(result.stderr.contains("the REPL does not run under mpirun with 2 processes"), "\(result.stderr.suffix(2000))")
  }

  @Test func aKilledRankEndsTheJob() throws {
    let file = try write(script(epochs: 200), "long.loom")
    let result = try MPIJob.run(np: 2, ["run", file], in: folder, timeout: 60) { mpirun in
      Thread.sleep(forTimeInterval: 4)
      MPIJob.signalChild(of: mpirun, SIGKILL)
    }
    #expect(!result.timedOut)
    #expect(result.status != 0)
    #expect(result.stderr.contains("exited on signal 9"), "\(result.stderr.suffix(2000))")
  }

  /// Ctrl-C at the terminal reaches mpirun, which sends every rank SIGTERM: the ranks agree to
  /// stop after the same batch, the autosave of the last finished epoch is intact, and the job
  /// ends non-zero without running the script's next statement.
  @Test func ctrlCStopsEveryRankAfterTheBatch() throws {
    let file = try write(script(epochs: 200, extra: "print(\"after save\")"), "interrupt.loom")
    let autosave = "\(folder)/interrupted.ckpt"
    let result = try MPIJob.run(
      np: 2, ["run", file, "--set", "autosave=\(autosave)"], in: folder, timeout: 90, interruptible: true
    ) { mpirun in
      let deadline = Date().addingTimeInterval(40)
      while !FileManager.default.fileExists(atPath: autosave), Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
      kill(mpirun, SIGINT)
    }
    #expect(!result.timedOut)
    #expect(result.status != 0)
    #expect(result.stderr.contains("the program was stopped with Ctrl-C"), "\(result.stderr.suffix(2000))")
    #expect(!result.stdout.contains("after save"))
    let saved = try Checkpoint.read(from: autosave)
    #expect(saved.epoch >= 1)
  }
}

/// Starting `mpirun` with the built `loom`.
enum MPIJob {
  static let mpirun: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/mpirun" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The loom binary of this build: beside the test executable, else .build/release or debug.
  static let loom: String = {
    if let sibling = Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("loom").path,
      FileManager.default.isExecutableFile(atPath: sibling)
    {
      return sibling
    }
    return ["release", "debug"].map { packageRoot.appendingPathComponent(".build/\($0)/loom").path }
      .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "loom"
  }()

  struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
    var timedOut: Bool
  }

  static func run(
    np: Int, _ arguments: [String], in folder: String, environment: [String: String] = [:], timeout: TimeInterval = 300,
    interruptible: Bool = false, during: ((pid_t) -> Void)? = nil
  ) throws -> Outcome {
    try run(
      processes: Array(repeating: arguments, count: np), in: folder, environment: environment, timeout: timeout,
      interruptible: interruptible, during: during)
  }

  /// One mpirun; each element of `processes` is one rank's loom arguments (equal elements are
  /// merged into one `-np N` app context). `interruptible`: mpirun starts with SIGINT at its
  /// default disposition, as from a terminal (a test runner may have it ignored, and an ignored
  /// signal stays ignored across exec), so that SIGINT acts as Ctrl-C does.
  static func run(
    processes: [[String]], in folder: String, environment: [String: String] = [:], timeout: TimeInterval = 300,
    interruptible: Bool = false, during: ((pid_t) -> Void)? = nil
  ) throws -> Outcome {
    var contexts: [(count: Int, arguments: [String])] = []
    for arguments in processes {
      if let last = contexts.last, last.arguments == arguments {
        contexts[contexts.count - 1].count += 1
      } else {
        contexts.append((1, arguments))
      }
    }
    var arguments = ["--oversubscribe"]
    for (k, context) in contexts.enumerated() {
      if k > 0 { arguments.append(":") }
      arguments += ["-np", "\(context.count)", loom] + context.arguments
    }
    let process = Process()
    if interruptible {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      let reset =
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
        + "signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT]); os.execv(sys.argv[1], sys.argv[1:])"
      process.arguments = ["python3", "-c", reset, mpirun ?? "mpirun"] + arguments
    } else {
      process.executableURL = URL(fileURLWithPath: mpirun ?? "mpirun")
      process.arguments = arguments
    }
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    var env = ProcessInfo.processInfo.environment
    env["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
    env["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
    env["OPENBLAS_NUM_THREADS"] = "1"
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("loom-mpi-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: out.path + ".out", contents: nil)
    _ = FileManager.default.createFile(atPath: out.path + ".err", contents: nil)
    defer {
      try? FileManager.default.removeItem(atPath: out.path + ".out")
      try? FileManager.default.removeItem(atPath: out.path + ".err")
    }
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out.path + ".out"))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: out.path + ".err"))
    try process.run()
    during?(process.processIdentifier)
    let deadline = Date().addingTimeInterval(timeout)
    var timedOut = false
    while process.isRunning {
      if Date() > deadline {
        timedOut = true
        process.terminate()
        Thread.sleep(forTimeInterval: 2)
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        break
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
    process.waitUntilExit()
    let read = { (suffix: String) in (try? String(contentsOfFile: out.path + suffix, encoding: .utf8)) ?? "" }
    return Outcome(status: process.terminationStatus, stdout: read(".out"), stderr: read(".err"), timedOut: timedOut)
  }

  /// Sends `signal` to one loom process started by `mpirun`.
  static func signalChild(of mpirun: pid_t, _ signal: Int32) {
    let children = (try? String(contentsOfFile: "/proc/\(mpirun)/task/\(mpirun)/children", encoding: .utf8)) ?? ""
    if let child = children.split(separator: " ").compactMap({ pid_t($0) }).first { kill(child, signal) }
  }
}
