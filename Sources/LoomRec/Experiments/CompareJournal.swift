import Foundation
import LoomFiles

/// The runs a `compare(..., to: "table.md")` has finished, kept beside the table in
/// `table.runs.json` and rewritten atomically after every run. With `resume: true` a comparison
/// that was interrupted (Ctrl-C, a session's end, a crash) takes the runs it already finished from
/// here and trains only the rest: a five-model, five-run table on real data is hours of work, and
/// an interruption should cost at most the run in progress.
///
/// A run is reused only when its fingerprint matches: the row's label and model function, every
/// model and fit option, the data set (name, users, items, interactions, split) and the metrics.
/// The number of runs is not part of it (run r always trains with seed r), so a 3-run table
/// resumed with `runs: 5` trains only runs 4 and 5. What a fingerprint cannot see is the code
/// itself: after changing a model function or Loom, run without `resume` (the journal then starts
/// afresh).
struct CompareJournal: Codable {
  /// One finished run: its test metrics and the per-user values the paired t-test needs.
  struct Run: Codable {
    var fingerprint: String
    var run: Int
    var metrics: [String: Double]
    /// Metric -> value per user (users in the evaluation report's order).
    var perUser: [String: [Double]]
    var secondsPerEpoch: Double?
    var secondsToBest: Double?
    var training: String
    var protocolText: String
  }

  static let formatVersion = 1
  var version = CompareJournal.formatVersion
  var runs: [Run] = []

  /// "results/main.md" -> "results/main.runs.json".
  static func path(besideTable table: String) -> String { besideTable(table, suffix: ".runs.json") }

  /// Where the run in progress keeps its training state (`fit(..., autosave:)`), beside the table:
  /// "results/main.md", run 3 -> "results/main.run-1a2b3c4d-3.ckpt", the hex being the CRC-32 of
  /// the row's fingerprint, so a state is only ever resumed by the row and run that wrote it. The
  /// file goes once the run is in the journal; one left behind is a run interrupted mid-way, and
  /// `resume: true` continues it from its last finished epoch.
  static func statePath(besideTable table: String, fingerprint: String, run: Int) -> String {
    besideTable(table, suffix: ".run-" + String(format: "%08x", CRC32.checksum(Array(fingerprint.utf8))) + "-\(run).ckpt")
  }

  /// The lock that processes sharing the table's runs hold while they read and write the
  /// journal and the claims (RunClaims): "results/main.md" -> "results/main.runs.lock".
  static func lockPath(besideTable table: String) -> String { besideTable(table, suffix: ".runs.lock") }

  /// The table's path with its extension replaced by `suffix`.
  private static func besideTable(_ table: String, suffix: String) -> String {
    let url = URL(fileURLWithPath: table)
    let stem = url.pathExtension.isEmpty ? url.lastPathComponent : url.deletingPathExtension().lastPathComponent
    let directory = (table as NSString).deletingLastPathComponent
    return directory.isEmpty ? stem + suffix : (directory as NSString).appendingPathComponent(stem + suffix)
  }

  /// The journal at `path`, or an empty one if there is none. A file that is there but cannot be
  /// read is an error, not an empty journal: silently retraining hours of runs is worse.
  static func load(from path: String) throws -> CompareJournal {
    guard FileManager.default.fileExists(atPath: path) else { return CompareJournal() }
    do {
      let data = try Data(contentsOf: URL(fileURLWithPath: path))
      let journal = try decoder.decode(CompareJournal.self, from: data)
      guard journal.version == formatVersion else {
        throw JournalError("it has format version \(journal.version); this Loom reads version \(formatVersion)")
      }
      return journal
    } catch let error as JournalError {
      throw error
    } catch let error as DecodingError {
      throw JournalError("it is not a compare journal (\(describe(error)))")
    } catch {
      throw JournalError(error.localizedDescription)
    }
  }

  /// The journal as JSON, for `writeAtomically`.
  func encoded() throws -> [UInt8] { Array(try CompareJournal.encoder.encode(self)) }

  func save(to path: String) throws { try writeAtomically(encoded(), to: path) }

  func run(_ run: Int, fingerprint: String) -> Run? {
    runs.last { $0.fingerprint == fingerprint && $0.run == run }
  }

  /// Records `finished`, replacing an earlier run with the same fingerprint and number.
  mutating func record(_ finished: Run) {
    runs.removeAll { $0.fingerprint == finished.fingerprint && $0.run == finished.run }
    runs.append(finished)
  }

  /// Keeps only the runs of rows still in the comparison.
  mutating func keep(fingerprints: Set<String>) {
    runs.removeAll { !fingerprints.contains($0.fingerprint) }
  }

  struct JournalError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
  }

  private static let encoder = NaNTolerantJSON.encoder()
  private static let decoder = NaNTolerantJSON.decoder()

  private static func describe(_ error: DecodingError) -> String {
    switch error {
    case .dataCorrupted(let c): return c.debugDescription
    case .keyNotFound(let key, _): return "no '\(key.stringValue)' field"
    case .typeMismatch(_, let c), .valueNotFound(_, let c):
      return "wrong value at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
    @unknown default: return "\(error)"
    }
  }
}
