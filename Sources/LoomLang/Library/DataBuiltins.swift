import Foundation
import LoomRec

/// Data sets: the built-in synthetic set, RecBole atomic files, and their statistics.
enum DataBuiltins {
  static func register(in b: Builtins) {
    b.register("synthetic(users: 2000, items: 3000, seed: 7, topics: 12, visual: 32, words: 8, stay: 0.7)",
               doc: "the built-in multimodal data set: items with latent topics, noisy visual vectors, topic words, drifting users") { a, _ in
      let (users, items) = (try a.integer("users"), try a.integer("items"))
      guard users >= 2, users <= 5_000_000, items >= 2, items <= 5_000_000 else {
        throw a.error("synthetic() needs between 2 and 5,000,000 users and items")
      }
      guard (try a.integer("visual")) <= 4096, (try a.integer("words")) <= 256, (try a.integer("topics")) <= 10_000 else {
        throw a.error("synthetic() needs visual ≤ 4096, words ≤ 256 and topics ≤ 10000")
      }
      var c = SyntheticConfig(users: users, items: items, seed: UInt64(max(0, try a.integer("seed"))))
      c.topics = try a.integer("topics")
      c.visualDim = try a.integer("visual")
      c.wordsPerItem = try a.integer("words")
      c.stay = try a.number("stay")
      return .host(DatasetValue(try Dataset.synthetic(c)))
    }
    b.register("load(path, text: [], visual: none, min_user: 0, min_item: 0, missing: \"drop\", split: \"leave-one-out\", max_words: 32)",
               doc: "RecBole atomic files in a folder; visual: a float_seq column, a .npy file or \"kg\"") { a, _ in
      var options = LoadOptions()
      options.minUserInteractions = try a.integer("min_user")
      options.minItemInteractions = try a.integer("min_item")
      options.maxWords = try a.integer("max_words")
      guard let missing = MissingModalityPolicy(rawValue: try a.string("missing")) else {
        throw a.error("load() expects missing: \"drop\" or \"zero\"", argument: "missing")
      }
      options.missing = missing
      let text = try a.list("text").map { v -> String in
        guard case .string(let s) = v else { throw a.typeError("text", expected: "a list of column names", got: v) }
        return s
      }
      var visual: VisualSource? = nil
      if let given = a.optional("visual"), case .string(let s) = given { visual = VisualSource(s) }
      let split: SplitKind
      switch try a.string("split") {
      case "leave-one-out", "loo": split = .leaveOneOut
      case "chronological", "60/20/20": split = .chronological
      default: throw a.error("load() expects split: \"leave-one-out\" or \"chronological\"", argument: "split")
      }
      let data = try Dataset.load(directory: try a.string("path"), text: text, visual: visual, options: options)
      return .host(DatasetValue(data, split: split))
    }
    b.register("exists(path)", doc: "whether a file or folder exists (e.g. to use ml-100k only when it was downloaded)") { a, _ in
      .bool(FileManager.default.fileExists(atPath: try a.string("path")))
    }
    b.register("stats(data)", doc: "users, items, interactions, lengths, density, modalities (as MIN Table 1)") { a, context in
      let d = try a.host("data", as: DatasetValue.self, described: "a data set")
      context.write(describe(d.dataset) + "\n")
      return .none
    }
  }
}
