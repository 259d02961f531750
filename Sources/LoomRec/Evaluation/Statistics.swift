import Foundation

/// The outcome of a paired t-test.
public struct TTestResult: Sendable, Equatable, CustomStringConvertible {
  /// Mean of a - b.
  public var meanDifference: Double
  public var t: Double
  public var degreesOfFreedom: Int
  /// Two-sided p-value.
  public var p: Double

  public var description: String {
    String(format: "mean difference %.4f, t = %.3f, df = %d, p = %.4g", meanDifference, t, degreesOfFreedom, p)
  }
}

/// Summary statistics for repeated runs and significance tests (MIN §5.1.2 repeats each
/// experiment five times and reports paired t-tests at p < 0.05).
public enum Statistics {
  /// Arithmetic mean; NaN for no values.
  public static func mean(_ values: [Double]) -> Double {
    values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
  }

  /// Sample standard deviation s = sqrt(Σ (x - x̄)² / (n - 1)); 0 for a single value.
  public static func standardDeviation(_ values: [Double]) -> Double {
    guard values.count > 1 else { return values.isEmpty ? .nan : 0 }
    let m = mean(values)
    let squares = values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
    return (squares / Double(values.count - 1)).squareRoot()
  }

  /// Paired two-sided t-test of a against b: with d = a - b (n pairs),
  /// t = d̄ / (s_d / √n), df = n - 1, p = P(|T_df| ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2).
  public static func pairedTTest(_ a: [Double], _ b: [Double]) throws -> TTestResult {
    guard a.count == b.count else {
      throw EvaluationError(message: "paired t-test needs equally many values, got \(a.count) and \(b.count)")
    }
    guard a.count >= 2 else {
      throw EvaluationError(message: "paired t-test needs at least 2 pairs, got \(a.count)")
    }
    let differences = zip(a, b).map { $0 - $1 }
    let m = mean(differences)
    let s = standardDeviation(differences)
    let df = differences.count - 1
    if s == 0 {
      // Identical differences: no spread, so either no difference at all or a certain one.
      return TTestResult(
        meanDifference: m, t: m == 0 ? 0 : m.sign == .minus ? -.infinity : .infinity,
        degreesOfFreedom: df, p: m == 0 ? 1 : 0)
    }
    let t = m / (s / Double(differences.count).squareRoot())
    return TTestResult(meanDifference: m, t: t, degreesOfFreedom: df, p: studentTwoSided(t: t, df: Double(df)))
  }

  /// P(|T| ≥ |t|) for Student's t with df degrees of freedom.
  public static func studentTwoSided(t: Double, df: Double) -> Double {
    regularizedIncompleteBeta(x: df / (df + t * t), a: df / 2, b: 0.5)
  }

  /// I_x(a, b) = B(x; a, b) / B(a, b), by the continued fraction of the incomplete beta
  /// function evaluated with the modified Lentz method; for x > (a+1)/(a+b+2) the symmetry
  /// I_x(a, b) = 1 - I_{1-x}(b, a) keeps the fraction in its fast-converging range.
  public static func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logBeta: Double = lgamma(a) + lgamma(b) - lgamma(a + b)
    let logPowers: Double = a * log(x) + b * log(1 - x)
    let logFront = logPowers - logBeta
    if x > (a + 1) / (a + b + 2) {
      return 1 - exp(logFront) * betaContinuedFraction(x: 1 - x, a: b, b: a) / b
    }
    return exp(logFront) * betaContinuedFraction(x: x, a: a, b: b) / a
  }

  /// The continued fraction 1/(1+ d1/(1+ d2/(1+ …))) with
  /// d_{2m+1} = -(a+m)(a+b+m)x / ((a+2m)(a+2m+1)), d_{2m} = m(b-m)x / ((a+2m-1)(a+2m)).
  private static func betaContinuedFraction(x: Double, a: Double, b: Double) -> Double {
    let tiny = 1e-300
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var result = d
    for m in 1...300 {
      let m = Double(m)
      let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
      d = 1 + even * d
      if abs(d) < tiny { d = tiny }
      c = 1 + even / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      result *= d * c
      let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
      d = 1 + odd * d
      if abs(d) < tiny { d = tiny }
      c = 1 + odd / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let step = d * c
      result *= step
      if abs(step - 1) < 1e-15 { break }
    }
    return result
  }
}
