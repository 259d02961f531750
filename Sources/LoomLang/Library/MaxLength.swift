/// The sequence length a call uses: `maxlen:` when given, else the model's own
/// (`TrainingRun.naturalMaxlen`).
enum MaxLength {
  static func resolve(_ a: CallArguments, _ model: ModelValue) throws -> Int {
    let n: Int
    if let given = a.optional("maxlen"), case .number = given {
      n = try a.integer("maxlen")
    } else {
      n = model.run.naturalMaxlen
    }
    guard n >= 1, n <= 4096 else { throw a.error("\(a.callee)() needs 1 ≤ maxlen ≤ 4096", argument: "maxlen") }
    return n
  }
}
