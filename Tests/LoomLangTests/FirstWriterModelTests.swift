import LoomGraph
import Testing

@testable import LoomLang

/// Gradients' first writers store instead of adding into zeroed buffers (`Op`'s note): each
/// model trains one epoch both ways from the same seed, and every parameter and metric must be
/// the same bits.
@Suite(.serialized) struct FirstWriterModelTests {
  @Test(arguments: ["SASRec", "MIN", "GRU4Rec", "MFN4Rec", "FDSA"])
  func storingFirstWritersTrainTheSameModel(model: String) throws {
    let zeroed = try CompiledGraph.withEveryGradientZeroed { try OneEpochRun(model) }
    let stored = try OneEpochRun(model)
    stored.expectSameBits(as: zeroed, model)
  }
}
