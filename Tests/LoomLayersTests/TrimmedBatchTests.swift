import LoomGraph
import LoomTensor
import Testing

@testable import LoomLayers

/// A batch cut to the width of its longest row (length-bucketed batches) gives the loss and the
/// gradients of the same rows padded to maxlen: padding is masked and positions count back from
/// the row's end, so the columns that are padding in every row carry nothing.
@Suite(.serialized) struct TrimmedBatchTests {
  /// Rows of at most `longest` items, left-padded to `width`.
  static func shortRows(items: Int, size: Int, width: Int, longest: Int, seed: UInt64) -> SequenceBatch {
    var random = SeededRandom(seed: seed)
    var inputs: [Int32] = []
    var targets: [Int32] = []
    for row in 0..<size {
      let length = row == 0 ? longest : 1 + random.nextInt(below: longest)
      let walk = (0...length).map { _ in Int32(1 + random.nextInt(below: items)) }
      inputs += [Int32](repeating: 0, count: width - length) + walk.dropLast()
      targets += [Int32](repeating: 0, count: width - length) + walk.dropFirst()
    }
    return SequenceBatch(size: size, maxlen: width, inputs: inputs, targets: targets, negatives: [], negativesPerTarget: 0)
  }

  /// The last `width` columns of every row.
  static func trimmed(_ b: SequenceBatch, to width: Int) -> SequenceBatch {
    func cut(_ cells: [Int32]) -> [Int32] {
      (0..<b.size).flatMap { r in cells[(r * b.maxlen + b.maxlen - width)..<((r + 1) * b.maxlen)] }
    }
    return SequenceBatch(
      size: b.size, maxlen: width, inputs: cut(b.inputs), targets: cut(b.targets), negatives: [], negativesPerTarget: 0)
  }

  func expectSameLossAndGradients(_ model: Recommender, _ label: String) throws {
    BLAS.threads = 1
    let full = Self.shortRows(items: 30, size: 6, width: 10, longest: 5, seed: 4)
    let short = Self.trimmed(full, to: 5)
    #expect(short.targets.filter { $0 != 0 }.count == full.targets.filter { $0 != 0 }.count)
    let (fullLoss, fullGradients) = try lossAndGradients(model, full)
    let (shortLoss, shortGradients) = try lossAndGradients(model, short)
    #expect(abs(fullLoss - shortLoss) <= 1e-5 * abs(fullLoss), "\(label): width 10 loss \(fullLoss) vs width 5 \(shortLoss)")
    let (largest, worst) = gradientDifference(fullGradients, shortGradients)
    #expect(largest > 1e-3, "\(label)")
    #expect(worst <= 1e-4 * largest, "\(label): largest gradient \(largest), largest difference \(worst)")
  }

  @Test func gruRowsCutToTheirLongestAreExact() throws {
    let catalog = plainCatalog(30)
    let id = try Embedding.node(ItemIDs.node(catalog), dim: 6)
    let model = try Recommender(user: try GRU.node(SequenceLift.node(id), hidden: 6), item: id)
    model.initialize(seed: 3)
    try expectSameLossAndGradients(model, "GRU")
  }

  @Test func selfAttentionRowsCutToTheirLongestAreExact() throws {
    let catalog = plainCatalog(30)
    let id = try Embedding.node(ItemIDs.node(catalog), dim: 8)
    let user = try SelfAttention.node(SequenceLift.node(id), layers: 2, heads: 2, maxlen: 10, ffn: 16, dropout: 0)
    let model = try Recommender(user: user, item: id)
    model.initialize(seed: 3)
    try expectSameLossAndGradients(model, "selfatt")
  }
}
