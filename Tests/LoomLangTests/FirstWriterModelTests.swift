import LoomGraph
import Testing

@testable import LoomLang

/// Gradients' first writers store instead of adding into zeroed buffers, and gradients passed
/// through unchanged share a buffer (`Op`'s notes): each model trains one epoch that way and
/// with plain gradients from the same seed, and every parameter and metric must be the same
/// bits.
@Suite(.serialized) struct FirstWriterModelTests {
  @Test(arguments: ["SASRec", "MIN", "GRU4Rec", "MFN4Rec", "FDSA"])
  func storingFirstWritersTrainTheSameModel(model: String) throws {
    let zeroed = try CompiledGraph.withPlainGradients { try OneEpochRun(model) }
    let stored = try OneEpochRun(model)
    stored.expectSameBits(as: zeroed, model)
  }
}
