import Foundation
import LoomFiles

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Lets several processes share one `compare(..., to: "table.md", resume: true)`: on a 2-core
/// machine two copies of the same script, one BLAS thread each, train the table's runs side by
/// side, each run once, and both end with the same complete table.
///
/// Before training a run, a comparison claims it: a small file beside the table
/// (`table.run-<crc32 of fingerprint>-<run>.claim`) naming the process. A run claimed by a process
/// that is still alive is left to it; a claim whose process has gone (Ctrl-C, a crash, the end
/// of a session) is taken over, and the run continues from that process's autosaved state.
/// Claims and the journal are read and written under an exclusive `flock(2)` on
/// `table.runs.lock`, so no two processes claim the same run or lose each other's journal entries.
///
/// A process is identified by host, pid and start time (so a reused pid is not mistaken for the
/// owner), plus a token per `compare` call, so two comparisons in one process (threads, or a
/// REPL that started a second after the first was interrupted) tell their claims apart. A claim
/// from another host cannot be checked and is taken as alive.
final class RunClaims {
  struct Owner: Codable, Equatable {
    var host: String
    var pid: Int32
    /// The process's start time in clock ticks after boot (Linux, /proc/PID/stat field 22);
    /// empty where the system does not say.
    var started: String
    var token: String
  }

  enum Outcome: Equatable {
    case mine
    case busy(Owner)
  }

  /// Why the lock or a claim could not be taken, in words fit for an error message.
  struct Failure: Error {
    var reason: String
  }

  let table: String
  let owner: Owner
  private let lockPath: String

  init(table: String) {
    self.table = table
    lockPath = CompareJournal.lockPath(besideTable: table)
    let pid = getpid()
    owner = Owner(
      host: ProcessInfo.processInfo.hostName, pid: pid, started: Self.startTime(of: pid) ?? "",
      token: UUID().uuidString)
    ActiveTokens.shared.insert(owner.token)
  }

  /// Ends this comparison's claims: a claim it left behind (an interrupted run) becomes stale.
  func finish() { ActiveTokens.shared.remove(owner.token) }

  deinit { finish() }

  static func claimPath(besideTable table: String, fingerprint: String, run: Int) -> String {
    let state = CompareJournal.statePath(besideTable: table, fingerprint: fingerprint, run: run)
    return String(state.dropLast(".ckpt".count)) + ".claim"
  }

  /// Runs `body` holding the table's lock.
  func locked<T>(_ body: () throws -> T) throws -> T {
    let descriptor = open(lockPath, O_RDWR | O_CREAT, 0o666)
    guard descriptor >= 0 else {
      throw Failure(reason: "cannot open the lock file '\(lockPath)': \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    while flock(descriptor, LOCK_EX) != 0 {
      guard errno == EINTR else {
        throw Failure(reason: "cannot lock '\(lockPath)': \(String(cString: strerror(errno)))")
      }
    }
    defer { flock(descriptor, LOCK_UN) }
    return try body()
  }

  /// Claims run `run` of the row with `fingerprint` unless a live process holds it. Call under
  /// `locked`.
  func claim(fingerprint: String, run: Int) throws -> Outcome {
    let path = Self.claimPath(besideTable: table, fingerprint: fingerprint, run: run)
    if let data = FileManager.default.contents(atPath: path),
      let holder = try? JSONDecoder().decode(Owner.self, from: data), holder != owner, Self.isAlive(holder)
    {
      return .busy(holder)
    }
    do {
      try writeAtomically(Array(try JSONEncoder().encode(owner)), to: path)
    } catch let failure as AtomicWriteFailure {
      throw Failure(reason: "cannot write the claim '\(path)': \(failure.reason)")
    }
    return .mine
  }

  /// The claim on a run that is now journaled (or failed) goes. Call under `locked`.
  func release(fingerprint: String, run: Int) {
    try? FileManager.default.removeItem(atPath: Self.claimPath(besideTable: table, fingerprint: fingerprint, run: run))
  }

  /// Whether the process (and, in this process, the comparison) that made a claim still runs.
  static func isAlive(_ holder: Owner) -> Bool {
    guard holder.host == ProcessInfo.processInfo.hostName else { return true }
    let me = getpid()
    if holder.pid == me, holder.started == (startTime(of: me) ?? "") {
      return ActiveTokens.shared.contains(holder.token)
    }
    if let started = startTime(of: holder.pid) { return started == holder.started }
    // No /proc: the pid alone (EPERM means it exists but belongs to someone else).
    return kill(holder.pid, 0) == 0 || errno == EPERM
  }

  /// Field 22 of /proc/PID/stat, counted after the parenthesised command name (which may hold
  /// spaces); nil when there is no such process or no /proc.
  static func startTime(of pid: Int32) -> String? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let nameEnd = text.lastIndex(of: ")")
    else { return nil }
    let fields = text[text.index(after: nameEnd)...].split(separator: " ")
    // fields[0] is field 3 (state), so field 22 is fields[19].
    return fields.count > 19 ? String(fields[19]) : nil
  }

  /// The tokens of this process's comparisons that are running now.
  final class ActiveTokens: @unchecked Sendable {
    static let shared = ActiveTokens()
    private let lock = NSLock()
    private var tokens: Set<String> = []

    func insert(_ token: String) { lock.withLock { _ = tokens.insert(token) } }
    func remove(_ token: String) { lock.withLock { _ = tokens.remove(token) } }
    func contains(_ token: String) -> Bool { lock.withLock { tokens.contains(token) } }
  }
}
