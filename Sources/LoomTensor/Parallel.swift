import CBLAS
import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Loom's threads. `ways` threads share each large op: a matrix product is split into blocks of
/// C's rows (or columns), an elementwise op into ranges of rows, and each part runs on its own
/// thread. OpenBLAS itself runs single-threaded (Loom sets it to one thread the first time this
/// is used), so there is exactly one source of threads.
///
/// Why not OpenBLAS's own threads: they only parallelise a product big enough for its threshold
/// (m·n·k ≥ 262,144), so the per-row attention products, the GRU scan's gates, layer norms and
/// dropout stayed on one core (on MIN, two OpenBLAS threads made the epoch 7% faster); and
/// splitting here gives the same bits for every thread count, since each part computes the same
/// sums in the same order (`BLAS.gemm` says when that holds for a product; `ThreadCountTests`
/// trains five models an epoch on one and on two threads and compares them bit for bit).
public enum Parallel {
  /// How many threads a large op is split over (at least 1). The first value is what OpenBLAS
  /// was started with (`OPENBLAS_NUM_THREADS`, or all cores), taken over once.
  /// Setting it while another thread is inside `withWays` waits until that call returns, so a
  /// `fit(threads: 1)` elsewhere cannot change the count under a run that compares thread counts
  /// (`ThreadCountTests` once saw no split at all on "two" threads that way). The thread inside
  /// `withWays` sets it freely.
  public static var ways: Int {
    get { state.ways }
    set {
      if state.owner.load(ordering: .acquiring) == currentThread() {
        state.ways = max(1, newValue)
      } else {
        state.turn.withLock { _ in state.ways = max(1, newValue) }
      }
    }
  }

  /// Runs `body` with `ways` threads, then restores the setting; callers of `withWays` on other
  /// threads, and setters of `ways` there, wait their turn. For tests that compare thread counts:
  /// work already running beside them may split differently meanwhile, which by design changes
  /// none of its values.
  public static func withWays<R>(_ ways: Int, _ body: () throws -> R) rethrows -> R {
    try state.turn.withLock { _ in
      let saved = state.ways
      state.ways = max(1, ways)
      state.owner.store(currentThread(), ordering: .releasing)
      defer {
        state.owner.store(0, ordering: .releasing)
        state.ways = saved
      }
      return try body()
    }
  }

  /// An identifier of the calling thread, never 0.
  static func currentThread() -> UInt { UInt(pthread_self()) }

  /// How many splits have run in this process (each `forEachRange` that used more than one
  /// thread): lets a test see that work was in fact split.
  public static var splitsRun: Int { state.splits.load(ordering: .relaxed) }

  /// Elementwise work below this many values runs on one thread: handing a part to another
  /// thread costs a few microseconds, about what 30,000 simple float operations take.
  public static let minimumValues = 32_768

  /// Runs `body` over `0..<count` split into at most `ways` contiguous ranges, at once, the
  /// calling thread taking the first. Range bounds are multiples of `granule` (except the end),
  /// so a part can start where a stream of draws or a vector block starts. Runs `body(0..<count)`
  /// on the calling thread when one thread is set, when `worthSplitting` is false, or when called
  /// from inside another split (the outer split already uses every thread).
  public static func forEachRange(
    _ count: Int, granule: Int = 1, worthSplitting: Bool = true, _ body: (Range<Int>) -> Void
  ) {
    let parts = min(ways, count / max(granule, 1))
    guard parts > 1, worthSplitting, state.active.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged
    else {
      body(0..<count)
      return
    }
    defer { state.active.store(0, ordering: .releasing) }
    state.splits.add(1, ordering: .relaxed)
    let ranges = split(count, parts: parts, granule: granule)
    withoutActuallyEscaping(body) { body in
      let part = Part(run: body)
      DispatchQueue.concurrentPerform(iterations: parts) { part.run(ranges[$0]) }
    }
  }

  /// Runs two independent tasks, side by side on two threads when `worthSplitting` (and more
  /// than one thread is set), else one after the other: an op's gradients that must not be split
  /// themselves, such as a sum over rows in order, beside one that can run at the same time.
  public static func sideBySide(worthSplitting: Bool, _ first: () -> Void, _ second: () -> Void) {
    forEachRange(2, worthSplitting: worthSplitting) { tasks in
      for task in tasks { if task == 0 { first() } else { second() } }
    }
  }

  /// The body of a split, handed to the other threads: each part touches only its own range,
  /// and the split returns only after every part has, so the body outlives none of them.
  struct Part: @unchecked Sendable { let run: (Range<Int>) -> Void }

  /// Runs `body` over ranges of `rows` rows of `length` values each, split when the rows hold at
  /// least `minimumValues` values: the form every row-by-row op takes (layer norm, softmax, the
  /// GRU scan's gates).
  public static func forEachRows(_ rows: Int, of length: Int, _ body: (Range<Int>) -> Void) {
    forEachRange(rows, worthSplitting: rows * length >= minimumValues, body)
  }

  /// `0..<count` in `parts` contiguous ranges of nearly equal size, bounds multiples of `granule`.
  public static func split(_ count: Int, parts: Int, granule: Int = 1) -> [Range<Int>] {
    let units = (count + granule - 1) / granule
    return (0..<parts).map { p in
      let lower = min(count, units * p / parts * granule)
      let upper = p == parts - 1 ? count : min(count, units * (p + 1) / parts * granule)
      return lower..<upper
    }
  }

  /// True while a split is running: work started now runs inline.
  public static var isSplitting: Bool { state.active.load(ordering: .acquiring) != 0 }

  final class State: Sendable {
    let active = Atomic<Int>(0)
    let splits = Atomic<Int>(0)
    let turn = Mutex(())
    /// The thread inside `withWays`, or 0.
    let owner = Atomic<UInt>(0)
    private let count: Atomic<Int>
    init() {
      count = Atomic(Int(max(1, openblas_get_num_threads())))
      openblas_set_num_threads(1)
    }
    var ways: Int {
      get { count.load(ordering: .relaxed) }
      set { count.store(newValue, ordering: .relaxed) }
    }
  }
  static let state = State()
}
