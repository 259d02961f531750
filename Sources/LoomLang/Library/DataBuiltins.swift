import Foundation
import LoomRec

/// Data sets: the built-in synthetic set, RecBole atomic files, and their statistics.
enum DataBuiltins {
  static func register(in b: Builtins) {
    b.register(
      DefaultSignatures.synthetic,
      doc: "the built-in multimodal data set: items with latent topics, noisy visual vectors, topic words, drifting users"
    ) { a, _ in
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
    b.register(
      DefaultSignatures.load,
      doc:
        "a data set folder (RecBole atomic files, pre-split benchmark files or MMRec's layout); features: {NAME: SOURCE, ...}, a SOURCE being a .npy file, a raw float32 file, a float_seq column, \"kg\" or encode(model: DIR)"
    ) { a, _ in
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
      let path = try a.string("path")
      func source(_ value: Value, argument: String) throws -> FeatureSource {
        if case .host(let host) = value, let encoder = host as? TextEncoderValue { return encoder.source }
        guard case .string(let s) = value else {
          throw a.typeError(
            argument, expected: "a feature source (a .npy or raw float32 file, a float_seq column, \"kg\" or encode(model: DIR))",
            got: value)
        }
        return FeatureSource(s, directory: path)
      }
      var visual: FeatureSource? = nil
      if let given = a.optional("visual"), !given.isNone { visual = try source(given, argument: "visual") }
      var features: [(name: String, source: FeatureSource)] = []
      if let given = a.optional("features"), !given.isNone {
        guard case .record(let record) = given else {
          throw a.typeError("features", expected: "a record {name: source, ...}", got: given)
        }
        for (key, value) in zip(record.keys, record.values) {
          features.append((name: key, source: try source(value, argument: "features")))
        }
      }
      var split: SplitKind? = nil
      if let given = a.optional("split"), !given.isNone {
        switch try a.string("split") {
        case "leave-one-out", "loo": split = .leaveOneOut
        case "chronological", "60/20/20": split = .chronological
        case "given": split = .given
        default:
          throw a.error(
            "load() expects split: \"leave-one-out\", \"chronological\" or \"given\"", argument: "split",
            help: "without split:, a pre-split folder keeps its own split and any other folder is split leave-one-out")
        }
      }
      let data = try Dataset.load(directory: path, text: text, visual: visual, features: features, options: options)
      if split == .given, data.givenSplit == nil {
        throw a.error(
          "'\(path)' came without a split of its own", argument: "split",
          help: "split: \"given\" needs NAME.train.inter, NAME.valid.inter and NAME.test.inter, or MMRec's x_label column")
      }
      return .host(DatasetValue(data, split: split))
    }
    b.register(
      "encode(model: \"\(FeatureSource.defaultEncoderModel)\")",
      doc:
        "a sentence-transformers model folder (BERT family) that encodes each item's text: load(path, features: {text: encode()})"
    ) { a, _ in
      .host(TextEncoderValue(model: try a.string("model")))
    }
    b.register("has_features(data, name)", doc: "whether a data set has the dense item feature table `name` (e.g. \"text\")") {
      a, _ in
      let d = try a.host("data", as: DatasetValue.self, described: "a data set")
      return .bool(d.dataset.features[try a.string("name")] != nil)
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
