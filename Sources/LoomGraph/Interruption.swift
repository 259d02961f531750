import Synchronization

/// A flag that a signal handler sets (Ctrl-C) and long computations poll between ops.
/// Only an atomic store happens in the handler; everything else happens at the next check.
public final class Interruption: Sendable {
  private let flag = Atomic<Bool>(false)
  public init() {}
  public func request() { flag.store(true, ordering: .relaxed) }
  public func clear() { flag.store(false, ordering: .relaxed) }
  public var isRequested: Bool { flag.load(ordering: .relaxed) }
}
