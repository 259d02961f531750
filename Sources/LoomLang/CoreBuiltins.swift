extension Builtins {
  /// A registry with the core builtins: output and conversion, numbers, collections.
  public static func core() -> Builtins {
    let builtins = Builtins()
    builtins.registerBasics()
    builtins.registerMath()
    builtins.registerCollections()
    return builtins
  }

  func registerBasics() {
    register(
      "print(values..., sep: \" \", end: \"\\n\", to: \"stdout\")",
      doc: "prints the values separated by sep, then end; to: \"stderr\" for the error stream"
    ) { args, context in
      let sep = try args.string("sep")
      let end = try args.string("end")
      let text = args.variadic.map(ValueFormatter.display).joined(separator: sep) + end
      switch try args.string("to") {
      case "stdout": context.write(text)
      case "stderr": (context.interpreter.errorOutput ?? context.interpreter.output)(text)
      default: throw args.error("print() expects to: \"stdout\" or \"stderr\"", argument: "to")
      }
      return .none
    }
    register("str(value)", doc: "the value as text, as print shows it: str(64) is \"64\"") { args, _ in
      .string(ValueFormatter.display(try args.value("value")))
    }
    register("repr(value)", doc: "the value as the REPL shows it, strings quoted: repr(\"a\") is \"\\\"a\\\"\"") { args, _ in
      .string(ValueFormatter.repr(try args.value("value")))
    }
    register("type(value)", doc: "the type's name: \"number\", \"string\", \"bool\", \"none\", \"list\", \"record\", ...") {
      args, _ in
      .string(try args.value("value").typeName)
    }
    register("len(value)", doc: "number of elements of a list, range or record, or characters of a string") { args, _ in
      let value = try args.value("value")
      switch value {
      case .list(let elements): return .number(Double(elements.count))
      case .string(let text): return .number(Double(text.count))
      case .record(let record): return .number(Double(record.count))
      case .range(let range): return .number(Double(range.count))
      case .host(let host):
        if let length = host.length { return .number(Double(length)) }
      default: break
      }
      throw args.typeError("value", expected: "a list, string, record or range", got: value)
    }
    register(
      "range(start, stop: none, step: 1)",
      doc: "the numbers start, start+step, ... before stop; range(n) counts 0 to n-1. Lazy: range(1e9) costs nothing"
    ) { args, _ in
      var start = try args.number("start")
      var stop: Double
      if case .none = try args.value("stop") {
        stop = start
        start = 0
      } else {
        stop = try args.number("stop")
      }
      let step = try args.number("step")
      guard step != 0, step.isFinite, start.isFinite else {
        throw args.error("range() step must be a finite non-zero number", argument: "step")
      }
      if stop.isInfinite { stop = stop > 0 ? 1e300 : -1e300 }
      return .range(NumberRange(start: start, stop: stop, step: step))
    }
    register("number(value)", doc: "converts a string such as \"1e-3\" (or a bool, or a number) to a number") { args, _ in
      let value = try args.value("value")
      switch value {
      case .number: return value
      case .bool(let flag): return .number(flag ? 1 : 0)
      case .string(let text):
        if let number = Double(text.trimmingSpaces()) { return .number(number) }
        throw args.error("number() cannot read \(ValueFormatter.repr(value)) as a number", argument: "value")
      default:
        throw args.typeError("value", expected: "a string, bool or number", got: value)
      }
    }
  }
}
