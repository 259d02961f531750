import Foundation

/// Runs work on a thread with a large stack and waits for it.
///
/// A tree-walking interpreter uses the native stack for every nested call; debug builds use a
/// lot per frame and threads from Swift's pools have small stacks, so deep-but-legal recursion
/// (up to ``InterpreterLimits/maximumCallDepth``) runs here, where it cannot overflow. The
/// stack is reserved address space; only the pages actually used take memory.
enum DeepStack {
  static let stackSize = 1 << 30

  static func run<T>(_ body: () throws -> T) throws -> T {
    try withoutActuallyEscaping(body) { escapable in
      let box = UncheckedBox(escapable)
      let done = DispatchSemaphore(value: 0)
      let thread = Thread {
        box.run()
        done.signal()
      }
      thread.stackSize = stackSize
      thread.start()
      done.wait()
      guard let result = box.result else { preconditionFailure("DeepStack: the thread finished without running the body") }
      return try result.get()
    }
  }

  /// The caller blocks until the thread has finished, so the body and its result are never
  /// used from two threads at once.
  private final class UncheckedBox<T>: @unchecked Sendable {
    private var body: (() throws -> T)?
    private(set) var result: Result<T, any Error>?
    init(_ body: @escaping () throws -> T) { self.body = body }

    /// Runs the body once and releases it, before the caller's scope ends.
    func run() {
      guard let body else { return }
      self.body = nil
      result = Result { try body() }
    }
  }
}
