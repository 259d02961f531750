import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs a program with its standard input fed from memory and its standard output and error
/// collected, all three at once. Doing them one after another deadlocks as soon as the child
/// fills a pipe buffer (64 KiB on Linux) while we are still writing: a large data block, or a
/// PNG on stdout. So stdin is written on one thread, stdout drained on another, and stderr on
/// the calling thread.
struct ChildProcess {
  struct Result {
    var status: Int32
    var standardOutput: Data
    var standardError: Data
  }

  let executable: String
  let arguments: [String]

  func run(input: Data) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let stdinPipe = Pipe()
    let stdoutPipe = Pipe()
    let stderrPipe = Pipe()
    process.standardInput = stdinPipe
    process.standardOutput = stdoutPipe
    process.standardError = stderrPipe
    try process.run()

    let writer = PipeWork(handle: stdinPipe.fileHandleForWriting)
    let reader = PipeWork(handle: stdoutPipe.fileHandleForReading)
    writer.start { handle in
      Self.writeIgnoringBrokenPipe(input, to: handle)
      return Data()
    }
    reader.start { handle in handle.readDataToEndOfFile() }
    let errors = stderrPipe.fileHandleForReading.readDataToEndOfFile()
    let output = reader.wait()
    _ = writer.wait()
    process.waitUntilExit()
    return Result(status: process.terminationStatus, standardOutput: output, standardError: errors)
  }

  /// Writes all of `data` and closes the pipe. If the child exits before reading everything
  /// (gnuplot may stop at an error), the write fails with EPIPE; SIGPIPE is blocked on this
  /// thread, and consumed if raised, so the failure stays a failed write and never kills Loom.
  /// The child's exit status and stderr then tell what went wrong.
  private static func writeIgnoringBrokenPipe(_ data: Data, to handle: FileHandle) {
    var brokenPipe = sigset_t()
    sigemptyset(&brokenPipe)
    sigaddset(&brokenPipe, SIGPIPE)
    pthread_sigmask(SIG_BLOCK, &brokenPipe, nil)
    try? handle.write(contentsOf: data)
    try? handle.close()
    var pending = sigset_t()
    sigpending(&pending)
    if sigismember(&pending, SIGPIPE) == 1 {
      var signal: Int32 = 0
      sigwait(&brokenPipe, &signal)
    }
  }
}

/// One blocking pipe operation on its own thread, with its result handed back through a
/// semaphore (which also orders the memory accesses).
private final class PipeWork: @unchecked Sendable {
  private let handle: FileHandle
  private let done = DispatchSemaphore(value: 0)
  private var result = Data()

  init(handle: FileHandle) {
    self.handle = handle
  }

  func start(_ work: @escaping @Sendable (FileHandle) -> Data) {
    let thread = Thread { [self] in
      result = work(handle)
      done.signal()
    }
    thread.start()
  }

  func wait() -> Data {
    done.wait()
    return result
  }
}
