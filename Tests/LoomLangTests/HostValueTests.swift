import Testing

@testable import LoomLang

/// A stand-in for the layer module's symbolic nodes: an operation over input nodes.
final class FakeNode: HostValue {
  let op: String
  let inputs: [FakeNode]
  let settings: [String: Double]
  init(_ op: String, _ inputs: [FakeNode] = [], settings: [String: Double] = [:]) {
    self.op = op
    self.inputs = inputs
    self.settings = settings
  }
  var typeName: String { "node" }
  var description: String { inputs.isEmpty ? op : "\(op)(\(inputs.map(\.description).joined(separator: ", ")))" }
  var fieldNames: [String] { ["op", "width"] }
  func field(_ name: String) throws -> Value? {
    switch name {
    case "op": return .string(op)
    case "width": return .number(Double(inputs.count))
    default: return nil
    }
  }
}

final class FakeDataset: HostValue {
  var typeName: String { "dataset" }
  var description: String { "dataset(3 items)" }
  var length: Int? { 3 }
  func elements() throws -> [Value]? { [.number(10), .number(20), .number(30)] }
  func element(at index: Value) throws -> Value? {
    guard case .number(let i) = index, (0..<3).contains(Int(i)) else { return nil }
    return .number(10 * (i + 1))
  }
}

/// Registers the layer signatures of the design's §3 with implementations that build FakeNodes.
func fakeLayerBuiltins() -> Builtins {
  let builtins = Builtins.core()
  func nodeArguments(_ args: CallArguments) -> [FakeNode] {
    let named = args.signature.parameters.filter { !$0.isVariadic }.compactMap { args.optional($0.name) }
    return (named + args.variadic).compactMap { value in
      if case .host(let node as FakeNode) = value { return node }
      return nil
    }
  }
  for (signature, doc) in [
    ("embed(ids, dim)", "embedding"), ("dense(x, dim, act: \"relu\", dropout: 0)", "affine"),
    ("gru(x, hidden)", "gru"), ("selfatt(x, layers: 1, heads: 1, maxlen: 50, ffn: 512, dropout: 0.1)", "attention"),
    ("crossatt(query, context, heads: 1, dropout: 0.1)", "cross"),
    ("encdec(src, target, hidden: dim, weight: 0.1)", "translation"),
    ("memory(inputs..., size: 20, hidden: 50, dropout: 0.3)", "memory"), ("tfidf(words, dim)", "tfidf"),
    ("concat(inputs...)", "concat"), ("seq(x)", "lift"), ("recommender(user, item)", "model"),
  ] {
    builtins.register(signature, doc: doc) { args, _ in
      var settings: [String: Double] = [:]
      for parameter in args.signature.parameters {
        if case .number(let n)? = args.optional(parameter.name) { settings[parameter.name] = n }
      }
      return .host(FakeNode(args.callee, nodeArguments(args), settings: settings))
    }
  }
  builtins.register("items(data)", doc: "item ids") { args, _ in
    _ = try args.host("data", as: FakeDataset.self, described: "a dataset")
    return .host(FakeNode("items"))
  }
  builtins.register("words(data)", doc: "word ids") { _, _ in .host(FakeNode("words")) }
  builtins.register("features(data, name)", doc: "features") { args, _ in .host(FakeNode(try args.string("name"))) }
  builtins.register("has_features(data, name)", doc: "table present") { args, _ in .bool(try args.string("name") == "visual") }
  builtins.register("infonce(a, b, weight: 0.1)", doc: "ssl loss") { args, context in
    let owner = context.functionStack.last?.name ?? "-"
    let losses = context.hostState[RecordedLosses.self] ?? []
    context.hostState[RecordedLosses.self] = losses + ["\(owner):\(try args.number("weight"))"]
    return .none
  }
  return builtins
}

/// What the fake `infonce` records on the interpreter: "model function:weight" per call.
enum RecordedLosses: HostStateKey {
  typealias Value = [String]
}

struct HostValueTests {
  @Test func theDesignsPreludeModelsBuildWithLayerBuiltins() throws {
    let interpreter = Interpreter(builtins: fakeLayerBuiltins(), output: { _ in })
    #expect(interpreter.preludeDiagnostics.isEmpty)
    #expect(
      Set([
        "GRU4Rec", "MFN4Rec", "MIN", "SASRec", "MIN_i", "MIN_s", "MIN_v", "MIN_t", "MIN_add", "MIN_dot", "MFN4Rec_g", "MFN4Rec_m",
        "MFN4Rec_add", "pRNN", "FDSA",
      ]).isSubset(of: interpreter.preludeNames))
    interpreter.setGlobal("data", .host(FakeDataset()))
    let model = try interpreter.run(SourceFile(name: "t", text: "MIN(data, dim: 32, beta: 0.5)"))
    guard case .host(let node as FakeNode)? = model else {
      Issue.record("MIN should return a node")
      return
    }
    #expect(node.op == "recommender")
    #expect(node.inputs.map(\.op) == ["concat", "concat"])
    #expect(node.inputs[0].inputs.map(\.op) == ["selfatt", "crossatt", "crossatt"])
    #expect(
      node.inputs[1].description
        == "concat(embed(items), encdec(dense(visual), gru(embed(words))), encdec(gru(embed(words)), dense(visual)))")
    #expect(node.inputs[0].inputs[0].settings == ["maxlen": 50, "dropout": 0.1, "layers": 1, "heads": 1, "ffn": 512])
    #expect(interpreter.hostState[RecordedLosses.self] == ["MIN:0.5", "MIN:0.5"])
    let gru4rec = try interpreter.run(SourceFile(name: "t", text: "GRU4Rec(data)"))
    guard case .host(let small as FakeNode)? = gru4rec else { return }
    #expect(small.description == "recommender(gru(seq(embed(items))), embed(items))")
    #expect(small.inputs[0].settings == ["hidden": 64])
  }

  @Test func preludeModelsFailClearlyWithoutLayers() {
    let result = runLoom("MIN(1)")
    #expect(result.diagnostics.map(\.kind) == [.unknownName])
    #expect(result.diagnostics.first?.message == "unknown name 'embed'")
    #expect(result.diagnostics.first?.span.file.name == "prelude.loom")
  }

  @Test func userModelFunctionsWithKeywordDefaults() {
    let source = """
      def MyModel(data, dim: 64) {
        id = embed(items(data), dim)
        recommender(user: gru(seq(id), dim), item: id)
      }
      m = MyModel(data, dim: 16)
      print(m, m.op, m.width, type(m))
      """
    var output = ""
    let interpreter = Interpreter(builtins: fakeLayerBuiltins(), output: { output += $0 })
    interpreter.setGlobal("data", .host(FakeDataset()))
    #expect(throws: Never.self) { try interpreter.run(SourceFile(name: "t", text: source)) }
    #expect(output == "recommender(gru(seq(embed(items))), embed(items)) recommender 2 node\n")
  }

  @Test func hostValuesIndexIterateAndMeasure() {
    let builtins = Builtins.core()
    builtins.register("dataset()", doc: "a fake dataset") { _, _ in .host(FakeDataset()) }
    let result = runLoom("d = dataset()\nfor x in d { print(x) }\nprint(len(d), d[1], d == d, d)", builtins: builtins)
    #expect(result.output == "10\n20\n30\n3 20 true dataset(3 items)\n")
  }

  @Test func hostFieldErrorsSuggest() {
    let builtins = fakeLayerBuiltins()
    let result = runLoom("n = seq(words(1))\nn.opp", builtins: builtins)
    #expect(result.diagnostics.map(\.kind) == [.unknownField])
    #expect(result.diagnostics.first?.help == "did you mean 'op'?")
  }

  @Test func wrongHostTypeNamesExpectedAndGot() {
    let result = runLoom("items(42)", builtins: fakeLayerBuiltins())
    #expect(result.diagnostics.first?.message == "items() expects a dataset for 'data', got number 42")
    #expect(result.diagnostics.first.map(caretLine) == "      ^^")
  }

  @Test func builtinsCallLoomFunctionsThroughTheContext() {
    let builtins = Builtins.core()
    builtins.register("twice(f, x)", doc: "f(f(x))") { args, context in
      let f = try args.value("f")
      return try context.call(f, [try context.call(f, [try args.value("x")])])
    }
    builtins.register("model(name, scale: 1)", doc: "call a named function") { args, context in
      guard let function = context.lookup(try args.string("name")) else {
        throw args.error("no model named \(try args.string("name"))", argument: "name")
      }
      return try context.call(function, [.number(try args.number("scale"))], keywords: ["by": .number(10)])
    }
    let source = "def inc(v) { v + 1 }\ndef scaled(v, by: 2) { v * by }\nprint(twice(inc, 1), model(\"scaled\", scale: 3))"
    #expect(runLoom(source, builtins: builtins).output == "3 30\n")
  }

  @Test func errorsThrownByHostCodeCarryTheCallSpan() {
    struct ShapeError: Error, CustomStringConvertible {
      var description: String { "matmul: [32, 64] x [32, 64]: inner dimensions 64 != 32" }
    }
    let builtins = Builtins.core()
    builtins.register("matmul(a, b)", doc: "fails") { _, _ in throw ShapeError() }
    let result = runLoom("x = 1\ny = matmul(x, x) + 1", builtins: builtins)
    #expect(result.diagnostics.map(\.kind) == [.hostError])
    #expect(result.diagnostics.first?.message == "matmul: [32, 64] x [32, 64]: inner dimensions 64 != 32")
    #expect(result.diagnostics.first?.location == SourceLocation(line: 2, column: 5))
    #expect(result.diagnostics.first.map(caretLine) == "    ^^^^^^^^^^^^")
  }
}
