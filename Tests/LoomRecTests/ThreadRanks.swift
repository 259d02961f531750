import Foundation

@testable import LoomRec

/// N ranks in one process, one thread each, joined by collectives that combine their
/// contributions in rank order: the data-parallel code paths run under `swift test` without
/// mpirun (the MPI tests run the same paths over real MPI).
final class ThreadRanks: @unchecked Sendable {
  let size: Int
  private let condition = NSCondition()
  private var contributions: [[UInt8]]
  private var arrived = 0
  private var generation = 0
  private var result: [UInt8] = []

  init(size: Int) {
    self.size = size
    contributions = Array(repeating: [], count: size)
  }

  /// Every rank hands in its bytes; all get `combine` of them (in rank order) back.
  func exchange(rank: Int, _ bytes: [UInt8], combine: ([[UInt8]]) -> [UInt8]) -> [UInt8] {
    condition.lock()
    defer { condition.unlock() }
    let mine = generation
    contributions[rank] = bytes
    arrived += 1
    if arrived == size {
      result = combine(contributions)
      arrived = 0
      generation += 1
      condition.broadcast()
    } else {
      while generation == mine { condition.wait() }
    }
    return result
  }

  /// Runs `body(rank, group)` on `size` threads and returns their results in rank order.
  func run<T>(_ body: @escaping (Int, any ProcessGroup) throws -> T) throws -> [T] {
    let results = Results<T>(count: size)
    let work = Unchecked(value: body)
    for rank in 0..<size {
      let thread = Thread { [self] in
        results.set(rank, Result { try work.value(rank, Member(ranks: self, rank: rank)) })
      }
      thread.stackSize = 8 << 20
      thread.start()
    }
    return try results.wait().map { try $0.get() }
  }

  struct Unchecked<V>: @unchecked Sendable { let value: V }

  final class Results<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private var slots: [Result<T, any Error>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ rank: Int, _ outcome: Result<T, any Error>) {
      condition.lock()
      slots[rank] = outcome
      condition.broadcast()
      condition.unlock()
    }
    func wait() -> [Result<T, any Error>] {
      condition.lock()
      defer { condition.unlock() }
      while slots.contains(where: { $0 == nil }) { condition.wait() }
      return slots.compactMap { $0 }
    }
  }

  final class Member: ProcessGroup {
    let ranks: ThreadRanks
    let rank: Int
    var size: Int { ranks.size }
    init(ranks: ThreadRanks, rank: Int) { (self.ranks, self.rank) = (ranks, rank) }

    func sum(_ buffer: UnsafeMutableBufferPointer<Float>) throws { try add(buffer) }
    func sum(_ buffer: UnsafeMutableBufferPointer<Double>) throws { try add(buffer) }

    private func add<T: BinaryFloatingPoint>(_ buffer: UnsafeMutableBufferPointer<T>) throws {
      let bytes = Array(UnsafeRawBufferPointer(buffer))
      let total = ranks.exchange(rank: rank, bytes) { all in
        var sums = [T](repeating: 0, count: buffer.count)
        for contribution in all {
          contribution.withUnsafeBytes { raw in
            for (i, x) in raw.bindMemory(to: T.self).enumerated() { sums[i] += x }
          }
        }
        return sums.withUnsafeBytes { Array($0) }
      }
      total.withUnsafeBytes { raw in
        for (i, x) in raw.bindMemory(to: T.self).enumerated() { buffer[i] = x }
      }
    }

    func broadcast(_ buffer: UnsafeMutableRawBufferPointer, from root: Int) throws {
      let bytes = ranks.exchange(rank: rank, Array(UnsafeRawBufferPointer(buffer))) { $0[root] }
      buffer.copyBytes(from: bytes)
    }
  }
}
