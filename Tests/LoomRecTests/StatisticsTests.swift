import Testing

@testable import LoomRec

@Suite struct StatisticsTests {
  @Test func meanAndSampleStandardDeviation() {
    let values: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
    #expect(Statistics.mean(values) == 5)
    #expect(close(Statistics.standardDeviation(values), (32.0 / 7).squareRoot()))
    #expect(Statistics.standardDeviation([3]) == 0)
  }

  @Test func regularizedIncompleteBetaMatchesClosedForms() {
    // I_0.5(2, 3) = Σ_{j=2}^{4} C(4, j) / 16 = 11/16.
    #expect(close(Statistics.regularizedIncompleteBeta(x: 0.5, a: 2, b: 3), 11.0 / 16))
    // I_x(1, 1) = x; I_x(a, 1) = x^a.
    #expect(close(Statistics.regularizedIncompleteBeta(x: 0.3, a: 1, b: 1), 0.3))
    #expect(close(Statistics.regularizedIncompleteBeta(x: 0.9, a: 3, b: 1), 0.729))
  }

  @Test func studentTailsMatchTextbookValues() {
    // df = 1 is the Cauchy distribution: P(|T| >= 1) = 1/2.
    #expect(close(Statistics.studentTwoSided(t: 1, df: 1), 0.5))
    // df = 2: P(|T| >= t) = 1 - t / sqrt(2 + t²).
    #expect(close(Statistics.studentTwoSided(t: 2, df: 2), 1 - 2 / 6.0.squareRoot()))
    // Table: t_{0.975, 10} = 2.228139 and t_{0.995, 30} = 2.749996.
    #expect(close(Statistics.studentTwoSided(t: 2.228139, df: 10), 0.05, 1e-6))
    #expect(close(Statistics.studentTwoSided(t: 2.749996, df: 30), 0.01, 1e-6))
  }

  @Test func pairedTTestOnStudentsSleepData() throws {
    // Cushny & Peebles, as in Student (1908): extra sleep under two drugs, ten patients.
    // R: t.test(extra ~ group, paired = TRUE) gives t = -4.0621, df = 9, p = 0.002833.
    let drug1: [Double] = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    let drug2: [Double] = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    let result = try Statistics.pairedTTest(drug1, drug2)
    #expect(result.degreesOfFreedom == 9)
    #expect(close(result.meanDifference, -1.58))
    #expect(close(result.t, -4.062128, 1e-6))
    #expect(close(result.p, 0.002832890, 1e-8))
  }

  @Test func pairedTTestEdgeCases() throws {
    #expect(try Statistics.pairedTTest([1, 2], [1, 2]).p == 1)
    #expect(try Statistics.pairedTTest([2, 3], [1, 2]).p == 0)
    #expect(throws: EvaluationError.self) { try Statistics.pairedTTest([1], [2]) }
    #expect(throws: EvaluationError.self) { try Statistics.pairedTTest([1, 2], [2]) }
  }
}
