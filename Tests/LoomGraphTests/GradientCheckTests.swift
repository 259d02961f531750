import LoomTensor
import Testing

@testable import LoomGraph

/// Every primitive passes its finite-difference check within the stated bound
/// (GradientCheck.defaultTolerance = 5e-3, relative error with an absolute floor at 0.1).
@Suite(.serialized) struct GradientCheckTests {
  @Test(arguments: GradientCheck.opCases.map(\.name))
  func opGradientMatchesFiniteDifferences(_ name: String) throws {
    let c = GradientCheck.opCases.first { $0.name == name }!
    let result = try GradientCheck.run(c)
    #expect(result.checkedValues > 0)
    #expect(result.maxError < 5e-3, "\(result)")
  }

  @Test func aWrongGradientIsCaught() throws {
    // An op whose backward is off by a factor of 2 must fail the check.
    struct BrokenDouble: Op {
      var name: String { "broken" }
      func outputShape(_ s: [Shape]) throws(ShapeError) -> Shape { s[0] }
      func forward(_ io: OpIO, _ run: RunState) { for i in 0..<io.outputShape.count { io.output[i] = 2 * io.inputs[0][i] } }
      func backward(_ io: OpIO, _ run: RunState) {
        for i in 0..<io.outputShape.count { io.inputGrads[0]![i] += io.outputGrad[i] }
      }
    }
    let result = try GradientCheck.run(
      GradientCheckCase("broken") { b in try b.graph.apply(BrokenDouble(), b.parameter([3, 3])) })
    #expect(!result.passed)
    #expect(result.maxError > 0.3)
  }
}
