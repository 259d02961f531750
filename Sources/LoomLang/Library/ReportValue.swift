import Foundation
import LoomRec

/// An evaluation report: `r["ndcg@10"]` is the mean, `print(r)` shows every metric beside the
/// protocol that produced it.
public final class ReportValue: HostValue {
  public let report: EvaluationReport
  public init(_ report: EvaluationReport) { self.report = report }
  public var typeName: String { "report" }
  public var description: String { report.description }
  public var html: String? {
    HTMLTable.render(
      header: ["metric", "value"], rows: report.metricNames.map { [$0, String(format: "%.4f", report[$0] ?? .nan)] },
      notes: [report.evaluationProtocol.description])
  }
  public var fieldNames: [String] { report.metricNames + ["protocol", "users"] }
  public func element(at index: Value) throws -> Value? {
    guard case .string(let name) = index else { return nil }
    return report[name].map { .number($0) }
  }
  public func field(_ name: String) throws -> Value? {
    switch name {
    case "protocol": return .string(report.evaluationProtocol.description)
    case "users": return .number(Double(report.caseCount))
    default: return report[name].map { .number($0) }
    }
  }
  public var length: Int? { report.metricNames.count }
  public func elements() throws -> [Value]? { report.metricNames.map { .string($0) } }
}
