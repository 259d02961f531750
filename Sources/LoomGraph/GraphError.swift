import LoomTensor

/// Why a graph could not be compiled or run.
public enum GraphError: Error, Equatable, CustomStringConvertible, Sendable {
  case shape(ShapeError)
  case lossNotScalar(shape: Shape)
  case unknownInput(String)
  case feedSize(input: String, expected: Int, got: Int)
  /// A NaN or infinity first appeared in the output of this op (its scope names the layer).
  case nonFinite(op: String, scope: String, shapes: String)
  case interrupted

  public var description: String {
    switch self {
    case .shape(let e): return e.description
    case .lossNotScalar(let s): return "the loss must be a scalar, got shape \(s)"
    case .unknownInput(let n): return "no input named '\(n)' in this graph"
    case .feedSize(let n, let e, let g): return "input '\(n)' holds \(e) values, was fed \(g)"
    case .nonFinite(let op, let scope, let shapes):
      return "NaN or infinity first produced by \(op) \(shapes)" + (scope.isEmpty ? "" : " in \(scope)")
    case .interrupted: return "interrupted"
    }
  }
}
