/// The processes that train and evaluate one model together: MPI's world communicator under
/// `mpirun` (LoomMPI), or this process alone. Training and evaluation call these collectively:
/// every rank makes the same calls in the same order, as in MPI.
public protocol ProcessGroup: AnyObject {
  /// This process's place in the group, 0 ..< size. Rank 0 leads: it alone prints and writes.
  var rank: Int { get }
  var size: Int { get }
  /// Replaces `buffer` on every rank by its element-wise sum over the ranks.
  func sum(_ buffer: UnsafeMutableBufferPointer<Float>) throws
  func sum(_ buffer: UnsafeMutableBufferPointer<Double>) throws
  /// Replaces `buffer` on every rank by rank `root`'s bytes.
  func broadcast(_ buffer: UnsafeMutableRawBufferPointer, from root: Int) throws
}

extension ProcessGroup {
  public var isDistributed: Bool { size > 1 }
  public var isLeader: Bool { rank == 0 }
}

/// This process alone: every collective is the identity.
public final class SingleProcess: ProcessGroup {
  public init() {}
  public var rank: Int { 0 }
  public var size: Int { 1 }
  public func sum(_ buffer: UnsafeMutableBufferPointer<Float>) throws {}
  public func sum(_ buffer: UnsafeMutableBufferPointer<Double>) throws {}
  public func broadcast(_ buffer: UnsafeMutableRawBufferPointer, from root: Int) throws {}
}

/// The group this process belongs to. Set once, before any training, by the front end
/// (`loom` under mpirun sets the MPI world); everything else reads it.
public enum Processes {
  nonisolated(unsafe) public static var world: any ProcessGroup = SingleProcess()
}

/// A collective call failed, or the ranks disagreed about what they were doing.
public struct DistributedError: Error, CustomStringConvertible, Equatable {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
