import LoomLayers

/// The sequence length a call uses when `maxlen:` is not given: the model's own (the fewest
/// positions any of its self-attention layers has), else 50, the papers' setting.
enum MaxLength {
  static func resolve(_ a: CallArguments, _ model: ModelValue) throws -> Int {
    let n: Int
    if let given = a.optional("maxlen"), case .number = given {
      n = try a.integer("maxlen")
    } else {
      n = model.recommender.flatMap { r in r.layers.compactMap { ($0 as? SelfAttention)?.maxlen }.min() } ?? 50
    }
    guard n >= 1, n <= 4096 else { throw a.error("\(a.callee)() needs 1 ≤ maxlen ≤ 4096", argument: "maxlen") }
    return n
  }
}
