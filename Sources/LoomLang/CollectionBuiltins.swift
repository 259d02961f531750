extension Builtins {
  func registerCollections() {
    register("keys(record)", doc: "the field names of a record, in order") { args, _ in
      .list(try args.record("record").keys.map(Value.string))
    }
    register("values(record)", doc: "the field values of a record, in order") { args, _ in
      .list(try args.record("record").values)
    }
    register("list(value)", doc: "a list of the elements of a range, string (characters), record (names) or list") {
      args, context in
      let value = try args.value("value")
      if case .range(let range) = value, range.count > 50_000_000 {
        throw args.error("list() of a range with \(range.count) elements is too long", argument: "value", kind: .resourceLimit)
      }
      var elements: [Value] = []
      try context.interpreter.forEachElement(of: value, at: args.span(of: "value")) { element in
        elements.append(element)
        return true
      }
      return .list(elements)
    }
    register("append(list, value)", doc: "a new list with value added at the end (the list itself is unchanged)") {
      args, context in
      let result = Value.list(try args.list("list") + [try args.value("value")])
      let limit = context.interpreter.limits.maximumValueNesting
      if result.nestingDepth(limit: limit) > limit { throw context.interpreter.nestingError(at: args.span) }
      return result
    }
    register("sorted(values, reverse: false)", doc: "a sorted copy of a list of numbers or of strings") { args, _ in
      let values = try args.list("values")
      let reverse = try args.bool("reverse")
      if let numbers = values.compactMapAll({ if case .number(let n) = $0 { n } else { nil } }) {
        return .list(numbers.sorted(by: reverse ? (>) : (<)).map(Value.number))
      }
      if let strings = values.compactMapAll({ if case .string(let s) = $0 { s } else { nil } }) {
        return .list(strings.sorted(by: reverse ? (>) : (<)).map(Value.string))
      }
      throw args.error("sorted() needs a list of numbers or a list of strings", argument: "values", kind: .typeMismatch)
    }
    register("reversed(values)", doc: "a copy of a list in reverse order") { args, _ in
      .list(try args.list("values").reversed())
    }
    register(
      "contains(container, value)",
      doc: "whether a list holds the value, a string holds the substring, or a record has the field"
    ) { args, _ in
      let container = try args.value("container")
      let value = try args.value("value")
      switch (container, value) {
      case (.list(let elements), _): return .bool(elements.contains { Equality.equal($0, value) })
      case (.string(let text), .string(let part)): return .bool(part.isEmpty || text.contains(part))
      case (.record(let record), .string(let name)): return .bool(record[name] != nil)
      default:
        throw args.error(
          "contains() looks in a list, a string (for a string) or a record (for a field name), got \(ValueFormatter.describeForError(container))",
          kind: .typeMismatch)
      }
    }
    register("join(values, sep: \"\")", doc: "the values as text joined by sep: join([1, 2], \", \") is \"1, 2\"") { args, _ in
      .string(try args.list("values").map(ValueFormatter.display).joined(separator: try args.string("sep")))
    }
  }
}

extension Array {
  /// All elements transformed, or nil if any element gives nil.
  func compactMapAll<T>(_ transform: (Element) -> T?) -> [T]? {
    var result: [T] = []
    result.reserveCapacity(count)
    for element in self {
      guard let value = transform(element) else { return nil }
      result.append(value)
    }
    return result
  }
}
