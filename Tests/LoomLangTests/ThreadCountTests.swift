import LoomTensor
import Testing

@testable import LoomLang

/// Loom's threads split ops so that every value is the same sum in the same order as on one
/// thread (`Parallel`): training and evaluation on two threads give the same bits as on one. Each
/// model trains one epoch from the same seed on one and on two threads; every parameter must
/// be equal to the last bit, and so must the evaluation. Sizes are large enough that the
/// products, the row-wise ops, the GRU scans and dropout all split (checked by the split count).
@Suite(.serialized) struct ThreadCountTests {
  @Test(arguments: ["SASRec", "MIN", "GRU4Rec", "MFN4Rec", "FDSA"])
  func twoThreadsGiveTheBitsOfOne(model: String) throws {
    let one = try Parallel.withWays(1) { try OneEpochRun(model) }
    let before = Parallel.splitsRun
    let two = try Parallel.withWays(2) { try OneEpochRun(model) }
    let splits = Parallel.splitsRun - before
    #expect(splits > 20, "\(model): only \(splits) splits on two threads")
    two.expectSameBits(as: one, model)
  }
}
