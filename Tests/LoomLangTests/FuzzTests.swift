import Foundation
import Testing

@testable import LoomLang

/// Random and mutated programs must never crash or hang the interpreter: each run ends with a
/// value or with diagnostics, within a step budget.
struct FuzzTests {
  /// SplitMix64: a small, seedable generator so every failure can be replayed.
  struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static let fragments = [
    "def", "f", "(", ")", "{", "}", "[", "]", ",", ":", ".", "=", "==", "+", "-", "*", "/", "%", "<", ">=",
    "and", "or", "not", "if", "else", "for", "in", "return", "x", "y", "range", "print", "len", "str", "1",
    "0", "1e9", "-3", "\"s\"", "\"", "true", "none", "\n", ";", "#", "\\", "@", "é", "f(x)", "x.y", "{a: 1}",
    "[1, 2]", "range(1e12)", "x = [x]", "def f(n) { f(n + 1) }", "print(x)", "x + x", "r[\"a\"]", "min", "sorted",
  ]

  static let seeds = [
    "d = 64\nsizes = [10, 20]\nfor d in sizes { print(d) }\nif d > 50 { print(\"big\") } else { print(\"small\") }",
    "def scaled(v, by: 2) { v * by }\nprint(scaled(3, by: 4))\ncfg = {dim: 64, lr: 1e-3}\nprint(cfg.dim, cfg[\"lr\"])",
    "res = []\nfor i in range(5) { res = res + [{i: i, sq: i * i}] }\nprint(len(res), res[2].sq)",
    "def fact(n) { if n <= 1 { 1 } else { n * fact(n - 1) } }\nprint(fact(20), str(fact(3)) + \"!\")",
    "x = [1, 2, 3]\nx[0] = 9\nprint(sum(x), max(x), sorted(x), join(x, sep: \",\"))",
  ]

  func run(_ source: String, _ interpreter: Interpreter) {
    let parsed = Parser.parse(SourceFile(name: "fuzz.loom", text: source))
    guard parsed.diagnostics.isEmpty else {
      for diagnostic in parsed.diagnostics { _ = DiagnosticRenderer.render(diagnostic) }
      return
    }
    do {
      try interpreter.run(parsed.program)
    } catch {
      for diagnostic in error.diagnostics { _ = DiagnosticRenderer.render(diagnostic) }
    }
  }

  func makeInterpreter() -> Interpreter {
    var limits = InterpreterLimits()
    limits.maximumSteps = 20_000
    limits.maximumListLength = 100_000
    limits.maximumStringLength = 100_000
    return Interpreter(output: { _ in }, limits: limits)
  }

  @Test func randomTokenSoup() {
    var random = SeededGenerator(state: 2024)
    let interpreter = makeInterpreter()
    let started = Date()
    for _ in 0..<2000 {
      let count = Int.random(in: 1...40, using: &random)
      let source = (0..<count).map { _ in Self.fragments.randomElement(using: &random)! }.joined(separator: " ")
      run(source, interpreter)
      interpreter.reset()
    }
    #expect(Date().timeIntervalSince(started) < 120)
  }

  @Test func mutatedValidPrograms() {
    var random = SeededGenerator(state: 7)
    let interpreter = makeInterpreter()
    let alphabet = Array("(){}[],:.=+-*/<>\"#\\ \nxyf019eé") + ["def", "for", "if", "else", "return"].flatMap(Array.init)
    let started = Date()
    for _ in 0..<2000 {
      var characters = Array(Self.seeds.randomElement(using: &random)!)
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        let position = Int.random(in: 0..<characters.count, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0: characters.remove(at: position)
        case 1: characters.insert(alphabet.randomElement(using: &random)!, at: position)
        case 2: characters[position] = alphabet.randomElement(using: &random)!
        default:
          let other = Int.random(in: 0..<characters.count, using: &random)
          characters.swapAt(position, other)
        }
        if characters.isEmpty { characters = ["x"] }
      }
      run(String(characters), interpreter)
      interpreter.reset()
    }
    #expect(Date().timeIntervalSince(started) < 120)
  }

  @Test func pathologicalInputsEndWithDiagnostics() {
    let interpreter = makeInterpreter()
    let inputs = [
      String(repeating: "(", count: 100_000),
      String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000),
      "x = " + String(repeating: "1 + ", count: 100_000) + "1",
      "x = " + String(repeating: "-", count: 100_000) + "1",
      String(repeating: "if true { ", count: 10_000),
      "x = 1" + String(repeating: ".a", count: 100_000),
      String(repeating: "\"", count: 10_001),
      String(repeating: "}", count: 1000),
      "for i in range(1e300) { }",
    ]
    for input in inputs {
      let parsed = Parser.parse(SourceFile(name: "p.loom", text: input))
      if parsed.diagnostics.isEmpty {
        #expect(throws: DiagnosticList.self) { try interpreter.run(parsed.program) }
      } else {
        #expect(parsed.diagnostics.count < 50)
      }
    }
  }
}
