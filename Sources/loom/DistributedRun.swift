import ArgumentParser
import Foundation
import Glibc
import LoomFiles
import LoomMPI
import LoomRec

/// `loom` started by mpirun: every rank runs the same command and script; `fit` trains
/// data-parallel and `evaluate` shards users (LoomRec's `ProcessGroup`). Rank 0 speaks for the
/// job: the others print nothing on standard output and write no files. Started any other way,
/// `loom` is one process and MPI is never initialised.
enum DistributedRun {
  nonisolated(unsafe) static var group: MPIProcessGroup?

  static func start() {
    guard MPIProcessGroup.wasLaunched() else { return }
    do {
      let group = try MPIProcessGroup()
      self.group = group
      Processes.world = group
      if group.rank != 0 {
        FileWrites.enabled = false
        let null = open("/dev/null", O_WRONLY)
        if null >= 0 { dup2(null, STDOUT_FILENO) }
      }
    } catch {
      FileHandle.standardError.write(Data("loom: cannot start MPI: \(error)\n".utf8))
      exit(70)
    }
  }

  /// Whether this process speaks for the job (rank 0, or the only process).
  static var isLeader: Bool { Processes.world.isLeader }

  /// Put before an error a rank other than 0 prints, so a job's messages say where they arose.
  static var errorPrefix: String {
    guard let group, group.rank != 0 else { return "" }
    return "[rank \(group.rank) of \(group.size)] "
  }

  /// Throws for a command that cannot be shared by several ranks (the REPL and the kernel read
  /// one person's input; mpirun gives it to rank 0 alone, and the others would wait for it in
  /// their first collective forever).
  static func requireOneProcess(_ what: String) throws {
    guard let group, group.size > 1 else { return }
    throw ValidationError("\(what) does not run under mpirun with \(group.size) processes; use `mpirun ... loom run SCRIPT.loom`")
  }

  /// Leaves MPI and exits. A failure ends the whole job at once (MPI_Abort), so that ranks
  /// waiting for this one in a collective do not wait forever.
  static func finish(status: Int32) -> Never {
    if let group {
      if status != 0 && group.size > 1 { group.abort(status: status) }
      group.finish()
    }
    exit(status)
  }
}
