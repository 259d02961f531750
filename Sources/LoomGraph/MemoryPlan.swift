/// Which buffer of a node: its value, its gradient, or its private scratch.
public enum BufferKey: Hashable, Sendable {
  case value(NodeID)
  case grad(NodeID)
  case scratch(NodeID)
}

/// A buffer's lifetime over the schedule: forward steps 0..<F, then backward steps F..<F+B.
/// Both ends are inclusive; `end == .max` pins the buffer (fed inputs, requested outputs).
public struct BufferLifetime: Sendable {
  public var key: BufferKey
  public var start: Int
  public var end: Int
  public var floats: Int
}

/// Gives every buffer an offset in one arena, reusing the space of buffers whose values are dead.
///
/// Greedy best fit over lifetimes sorted by start: a buffer takes the smallest free slot that
/// holds it, else grows the largest free slot, else opens a new one. A slot is free once the last
/// step that reads its current buffer has passed, so an op's output never aliases its inputs.
public struct MemoryPlan: Sendable {
  public private(set) var offsets: [BufferKey: Int] = [:]
  /// Floats in the arena.
  public private(set) var arenaFloats = 0
  /// Floats that one buffer per value would have needed.
  public private(set) var unplannedFloats = 0

  /// Offsets are multiples of 16 floats (64 bytes), the alignment BLAS kernels like.
  static let alignment = 16

  public init(_ lifetimes: [BufferLifetime]) {
    struct Slot {
      var capacity: Int
      var busyUntil: Int
    }
    var slots: [Slot] = []
    var placed: [(life: BufferLifetime, slot: Int)] = []
    let sorted = lifetimes.sorted { ($0.start, $0.floats) < ($1.start, $1.floats) }
    for life in sorted {
      unplannedFloats += life.floats
      var best: Int? = nil
      var largestFree: Int? = nil
      for (i, slot) in slots.enumerated() where slot.busyUntil < life.start {
        if slot.capacity >= life.floats, best.map({ slots[$0].capacity > slot.capacity }) ?? true {
          best = i
        }
        if largestFree.map({ slots[$0].capacity < slot.capacity }) ?? true { largestFree = i }
      }
      let chosen: Int
      if let b = best {
        chosen = b
      } else if let l = largestFree {
        chosen = l
        slots[l].capacity = life.floats
      } else {
        slots.append(Slot(capacity: life.floats, busyUntil: -1))
        chosen = slots.count - 1
      }
      slots[chosen].busyUntil = life.end
      placed.append((life, chosen))
    }
    var slotOffsets: [Int] = []
    var cursor = 0
    for slot in slots {
      slotOffsets.append(cursor)
      cursor += (slot.capacity + Self.alignment - 1) / Self.alignment * Self.alignment
    }
    arenaFloats = cursor
    for (life, slot) in placed {
      offsets[life.key] = slotOffsets[slot]
      placements.append((life, slotOffsets[slot]))
    }
  }

  /// Every buffer with its lifetime and offset, for `conflicts`.
  var placements: [(life: BufferLifetime, offset: Int)] = []

  /// Pairs of buffers that are alive at the same step and share arena floats, or a buffer that
  /// runs past the arena's end: empty for a correct plan.
  public var conflicts: [String] {
    var found: [String] = []
    for (i, (a, oa)) in placements.enumerated() {
      let (na, sa, ea) = (a.floats, a.start, a.end)
      if oa + na > arenaFloats { found.append("\(a.key) ends past the arena") }
      for (b, ob) in placements[(i + 1)...] {
        let (nb, sb, eb) = (b.floats, b.start, b.end)
        let together = sa <= eb && sb <= ea
        let shared = oa < ob + nb && ob < oa + na && na > 0 && nb > 0
        if together && shared { found.append("\(a.key) [\(sa), \(ea)] and \(b.key) [\(sb), \(eb)] share floats") }
      }
    }
    return found
  }
}
