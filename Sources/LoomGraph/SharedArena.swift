import LoomTensor

/// One arena for compiled graphs that never run at the same time: a model's training programs,
/// one per batch shape (width, item rows, gathered targets). Each program's buffers only live
/// from feeding its inputs to reading its losses, so all of them can sit in the same memory.
///
/// Giving every program its own arena made memory grow with the number of shapes and, worse,
/// made a compilation cost as much as allocating and first touching that arena: on SASRec at 12×
/// ml-100k, 151 compilations spent 46 of an epoch's 120 s mostly paging in 664 MiB arenas.
///
/// The storage only grows. Growing replaces it and bumps `generation`; graphs bound to an older
/// generation keep their (old) storage alive and stay correct, but hold that memory, so owners
/// drop them (`Recommender` evicts every training program of an older generation).
public final class SharedArena: @unchecked Sendable {
  public private(set) var storage = TensorStorage(capacity: 0)
  public private(set) var generation = 0

  public init() {}

  public var capacityMiB: Double { Double(storage.capacity) * 4 / 1_048_576 }

  /// Storage holding at least `floats`. Growth leaves an eighth of headroom, so a run whose
  /// shapes creep up (item sets of a few hundred more rows) does not regrow at every new shape.
  func claim(_ floats: Int) -> TensorStorage {
    if floats > storage.capacity {
      storage = TensorStorage(capacity: floats + floats / 8)
      generation += 1
    }
    return storage
  }
}
