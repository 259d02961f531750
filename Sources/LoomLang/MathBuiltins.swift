import Foundation

extension Builtins {
  func registerMath() {
    register("min(values...)", doc: "the smallest of the arguments, or of one list: min(3, 1) and min([3, 1]) are 1") { args, _ in
      try Builtins.extreme(args, pickFirst: { $0 < $1 })
    }
    register("max(values...)", doc: "the largest of the arguments, or of one list") { args, _ in
      try Builtins.extreme(args, pickFirst: { $0 > $1 })
    }
    register("sum(values)", doc: "the sum of a list or range of numbers") { args, context in
      try .number(Builtins.numbers(args, "values", context).reduce(0, +))
    }
    register("mean(values)", doc: "the arithmetic mean of a non-empty list of numbers") { args, context in
      let numbers = try Builtins.numbers(args, "values", context)
      guard !numbers.isEmpty else { throw args.error("mean() of an empty list", argument: "values") }
      return .number(numbers.reduce(0, +) / Double(numbers.count))
    }
    register("abs(x)", doc: "the absolute value") { args, _ in .number(abs(try args.number("x"))) }
    register("round(x, digits: 0)", doc: "x rounded to a number of decimal digits (halves away from zero)") { args, _ in
      let x = try args.number("x")
      let digits = try args.integer("digits")
      guard (-15...15).contains(digits) else { throw args.error("round() digits must be between -15 and 15", argument: "digits") }
      let scale = pow(10, Double(digits))
      return .number((x * scale).rounded() / scale)
    }
    register(
      "fixed(x, digits: 4)", doc: "x as text with exactly digits decimals, as reports print metrics: fixed(0.389) is \"0.3890\""
    ) { args, _ in
      let x = try args.number("x")
      let digits = try args.integer("digits")
      guard (0...15).contains(digits) else { throw args.error("fixed() digits must be between 0 and 15", argument: "digits") }
      return .string(String(format: "%.\(digits)f", x))
    }
    register("floor(x)", doc: "the largest whole number not above x") { args, _ in .number(floor(try args.number("x"))) }
    register("ceil(x)", doc: "the smallest whole number not below x") { args, _ in .number(ceil(try args.number("x"))) }
    register("sqrt(x)", doc: "the square root of a non-negative number") { args, _ in
      let x = try args.number("x")
      guard x >= 0 else { throw args.error("sqrt() of a negative number", argument: "x") }
      return .number(x.squareRoot())
    }
    register("exp(x)", doc: "e to the power x") { args, _ in .number(exp(try args.number("x"))) }
    register("log(x)", doc: "the natural logarithm of a positive number") { args, _ in
      let x = try args.number("x")
      guard x > 0 else { throw args.error("log() of a number that is not positive", argument: "x") }
      return .number(log(x))
    }
    register("pow(x, y)", doc: "x to the power y: pow(10, -3) is 0.001") { args, _ in
      .number(pow(try args.number("x"), try args.number("y")))
    }
  }

  /// The numbers of a list or range argument, with a clear error for anything else.
  static func numbers(_ args: CallArguments, _ name: String, _ context: CallContext) throws -> [Double] {
    let value = try args.value(name)
    let elements: [Value]
    switch value {
    case .list(let list): elements = list
    case .range(let range):
      guard range.count <= 50_000_000 else { throw args.error("the range is too long to add up", argument: name) }
      elements = (0..<range.count).map { .number(range.element($0)) }
    default: throw args.typeError(name, expected: "a list of numbers", got: value)
    }
    return try elements.map { element in
      guard case .number(let number) = element else {
        throw args.error(
          "\(args.callee)() needs numbers, found \(ValueFormatter.describeForError(element))", argument: name,
          kind: .typeMismatch)
      }
      return number
    }
  }

  /// min and max: over the arguments, or over the elements of a single list argument; numbers or strings.
  static func extreme(_ args: CallArguments, pickFirst: (Double, Double) -> Bool) throws -> Value {
    var candidates = args.variadic
    if candidates.count == 1, case .list(let elements) = candidates[0] { candidates = elements }
    if candidates.count == 1, case .range(let range) = candidates[0] {
      guard range.count > 0 else { throw args.error("\(args.callee)() of an empty range") }
      let first = range.element(0)
      let last = range.element(range.count - 1)
      return .number(pickFirst(first, last) ? first : last)
    }
    guard var best = candidates.first else {
      throw args.error("\(args.callee)() needs at least one value", kind: .missingArgument, help: "usage: \(args.signature)")
    }
    for candidate in candidates.dropFirst() {
      switch (candidate, best) {
      case (.number(let a), .number(let b)):
        if pickFirst(a, b) { best = candidate }
      case (.string(let a), .string(let b)):
        let aFirst = args.callee == "min" ? a < b : a > b
        if aFirst { best = candidate }
      default:
        throw args.error(
          "\(args.callee)() compares numbers or strings, got \(ValueFormatter.describeForError(candidate)) and \(ValueFormatter.describeForError(best))",
          kind: .typeMismatch)
      }
    }
    if case .number = best { return best }
    if case .string = best { return best }
    throw args.error(
      "\(args.callee)() compares numbers or strings, got \(ValueFormatter.describeForError(best))", kind: .typeMismatch)
  }
}
