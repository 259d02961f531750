import LoomGraph
import Testing

@testable import LoomLayers

/// Every layer's parameters pass the finite-difference check (bound 5e-3, as for the ops).
@Suite(.serialized) struct LayerGradientTests {
  @Test(arguments: GradientCheck.layerCases.map(\.name))
  func layerGradientMatchesFiniteDifferences(_ name: String) throws {
    let c = GradientCheck.layerCases.first { $0.name == name }!
    let result = try GradientCheck.run(c, samples: 12)
    #expect(result.checkedValues > 0)
    #expect(result.maxError < 5e-3, "\(result)")
  }
}
