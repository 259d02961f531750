/// The syntax tree. Every node carries the span of the source it came from, so that any error
/// found later (a check, a runtime error, a shape error in a layer) can point at it.

public indirect enum Expr: Sendable {
  case number(Double, SourceSpan)
  case string(String, SourceSpan)
  case bool(Bool, SourceSpan)
  case none(SourceSpan)
  case name(String, SourceSpan)
  case list([Expr], SourceSpan)
  /// `{dim: 64, "lr": 1e-3}`; field order is kept.
  case record([RecordEntry], SourceSpan)
  case unary(UnaryOperator, Expr, SourceSpan)
  case binary(BinaryOperator, Expr, Expr, SourceSpan)
  /// `a and b`, `a or b`: the right side is evaluated only when needed.
  case logical(LogicalOperator, Expr, Expr, SourceSpan)
  case call(Expr, [ArgumentNode], SourceSpan)
  case index(Expr, Expr, SourceSpan)
  case field(Expr, String, SourceSpan)

  public var span: SourceSpan {
    switch self {
    case .number(_, let span), .string(_, let span), .bool(_, let span), .none(let span),
      .name(_, let span), .list(_, let span), .record(_, let span), .unary(_, _, let span),
      .binary(_, _, _, let span), .logical(_, _, _, let span), .call(_, _, let span),
      .index(_, _, let span), .field(_, _, let span):
      return span
    }
  }
}

public struct RecordEntry: Sendable {
  public let key: String
  public let keySpan: SourceSpan
  public let value: Expr
}

/// One argument of a call: `x` or `by: 3`.
public struct ArgumentNode: Sendable {
  /// The keyword, nil for a positional argument.
  public let label: String?
  public let labelSpan: SourceSpan?
  public let value: Expr
  /// The whole argument, label included.
  public var span: SourceSpan { labelSpan.map { $0.through(value.span) } ?? value.span }
}

public enum UnaryOperator: String, Sendable {
  case negate = "-"
  case not = "not"
}

public enum BinaryOperator: String, Sendable {
  case add = "+"
  case subtract = "-"
  case multiply = "*"
  case divide = "/"
  case remainder = "%"
  case equal = "=="
  case notEqual = "!="
  case less = "<"
  case lessEqual = "<="
  case greater = ">"
  case greaterEqual = ">="
}

public enum LogicalOperator: String, Sendable {
  case and, or
}

/// A parameter of `def`: `v` (required) or `by: 2` (keyword parameter with a default, which is
/// evaluated at each call, after the parameters before it are bound, so `hidden: dim` works).
public struct Parameter: Sendable {
  public let name: String
  public let defaultValue: Expr?
  public let span: SourceSpan
}

public struct FunctionDeclaration: Sendable {
  public let name: String
  public let nameSpan: SourceSpan
  public let parameters: [Parameter]
  public let body: [Stmt]
  /// From `def` to the closing brace: the function's source, which `save` stores with a model.
  public let span: SourceSpan
}

/// What an assignment writes to: a name, or a path of fields and indices below a name.
public indirect enum AssignTarget: Sendable {
  case name(String, SourceSpan)
  case field(AssignTarget, String, SourceSpan)
  case index(AssignTarget, Expr, SourceSpan)

  public var span: SourceSpan {
    switch self {
    case .name(_, let span), .field(_, _, let span), .index(_, _, let span): return span
    }
  }

  /// The variable at the root of the path.
  public var rootName: String {
    switch self {
    case .name(let name, _): return name
    case .field(let base, _, _), .index(let base, _, _): return base.rootName
    }
  }
}

public indirect enum Stmt: Sendable {
  case expression(Expr)
  case assign(AssignTarget, Expr, SourceSpan)
  case def(FunctionDeclaration)
  case `return`(Expr?, SourceSpan)
  case `for`(String, SourceSpan, Expr, [Stmt], SourceSpan)
  /// `if c {..} else {..}`; `else if` is an `if` inside the else branch.
  case `if`(Expr, [Stmt], [Stmt]?, SourceSpan)

  public var span: SourceSpan {
    switch self {
    case .expression(let expr): return expr.span
    case .assign(_, _, let span), .return(_, let span), .for(_, _, _, _, let span),
      .if(_, _, _, let span):
      return span
    case .def(let declaration): return declaration.span
    }
  }
}

/// A parsed file or REPL submission.
public struct Program: Sendable {
  public let file: SourceFile
  public let statements: [Stmt]
}
