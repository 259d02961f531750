import Foundation
import LoomRec
import MPIBridge

/// MPI's world communicator as Loom's `ProcessGroup`, for a `loom` started by `mpirun` (or
/// `mpiexec`, or a batch system's launcher). Written against the standard MPI C API through
/// MPIBridge, so any implementation works; Debian's Open MPI is what Scripts/setup.sh installs.
public final class MPIProcessGroup: ProcessGroup {
  public let rank: Int
  public let size: Int

  /// Environment variables a launcher sets in every process it starts: Open MPI's, PMIx's
  /// (Open MPI 5, Slurm) and the PMI ones of MPICH's Hydra. A `loom` started without any of
  /// them is a single process and never initialises MPI.
  static let launcherVariables = ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"]

  public static func wasLaunched(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
    launcherVariables.contains { environment[$0] != nil }
  }

  /// Initialises MPI (once per process).
  public init() throws {
    try Self.check(loom_mpi_init(), "MPI_Init_thread")
    rank = Int(loom_mpi_rank())
    size = Int(loom_mpi_size())
  }

  /// Wall seconds spent in allreduce calls (waiting for slower ranks included) and the bytes
  /// they summed, for `loom bench` to report the communication share of a step.
  public private(set) var reduceSeconds = 0.0
  public private(set) var reducedBytes = 0
  public private(set) var reduceCalls = 0

  public func sum(_ buffer: UnsafeMutableBufferPointer<Float>) throws {
    guard let base = buffer.baseAddress else { return }
    try timed(bytes: buffer.count * 4) {
      try Self.check(loom_mpi_allreduce_sum_float(base, buffer.count), "MPI_Allreduce of \(buffer.count) floats")
    }
  }

  public func sum(_ buffer: UnsafeMutableBufferPointer<Double>) throws {
    guard let base = buffer.baseAddress else { return }
    try timed(bytes: buffer.count * 8) {
      try Self.check(loom_mpi_allreduce_sum_double(base, buffer.count), "MPI_Allreduce of \(buffer.count) doubles")
    }
  }

  private func timed(bytes: Int, _ body: () throws -> Void) throws {
    var start = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    defer {
      var end = timespec()
      clock_gettime(CLOCK_MONOTONIC, &end)
      reduceSeconds += Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
      reducedBytes += bytes
      reduceCalls += 1
    }
    try body()
  }

  public func broadcast(_ buffer: UnsafeMutableRawBufferPointer, from root: Int) throws {
    guard let base = buffer.baseAddress else { return }
    try Self.check(loom_mpi_broadcast(base, buffer.count, Int32(root)), "MPI_Bcast of \(buffer.count) bytes")
  }

  /// Leaves MPI after a successful run (every rank must call it).
  public func finish() {
    if loom_mpi_is_initialized() != 0 { _ = loom_mpi_finalize() }
  }

  /// Ends every rank of the job now, with this exit status: a rank that failed alone must not
  /// leave the others waiting in a collective forever.
  public func abort(status: Int32) -> Never {
    loom_mpi_abort(status)
    exit(status)  // MPI_Abort does not return; this only satisfies the compiler
  }

  static func check(_ status: Int32, _ what: String) throws {
    guard status != 0 else { return }
    var text = [CChar](repeating: 0, count: 512)
    loom_mpi_error_string(status, &text, Int32(text.count))
    let reason = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    throw DistributedError("\(what) failed: \(reason.isEmpty ? "MPI error \(status)" : reason)")
  }
}
