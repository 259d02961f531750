import LoomLayers

/// The layer builtins of language.md §3, each a one-to-one call of the layer API. A layer error
/// is reported at the call with the offending argument's source text (`got item-level 'vis'`).
enum LayerBuiltins {
  static func register(in b: Builtins) {
    b.register("items(data)", doc: "the item ids of a data set (item-level ids); embed them") { a, _ in
      try node(a) { ItemIDs.node(try data(a).catalog) }
    }
    b.register("words(data)", doc: "each item's word ids (token-level); embed or tfidf them") { a, _ in
      try node(a) { try WordIDs.node(try data(a).catalog) }
    }
    b.register("features(data, name)", doc: "a precomputed dense item feature table, e.g. \"visual\" (item-level)") { a, _ in
      try node(a) { try ItemFeatures.node(try data(a).catalog, try a.string("name")) }
    }
    b.register("embed(ids, dim)", doc: "learned embedding table for item ids or word ids") { a, _ in
      try node(a) { try Embedding.node(try value(a, "ids"), dim: try a.integer("dim")) }
    }
    b.register("dense(x, dim, act: \"none\", dropout: 0)", doc: "affine map x·W + b, optional activation, dropout on the input") {
      a, _ in
      try node(a) {
        try Dense.node(
          try value(a, "x"), dim: try a.integer("dim"), activation: try Dense.activation(named: try a.string("act")),
          dropout: Float(try a.number("dropout")))
      }
    }
    b.register("gru(x, hidden)", doc: "GRU over an item's words (→ item-level last state) or over a sequence (→ every state)") {
      a, _ in
      try node(a) { try GRU.node(try value(a, "x"), hidden: try a.integer("hidden")) }
    }
    b.register(
      "selfatt(x, layers: 1, heads: 1, maxlen: 50, ffn: 512, dropout: 0.1)",
      doc: "causal self-attention blocks with learned positions and a feed-forward (SASRec, MIN §4.2.1)"
    ) { a, _ in
      try node(a) {
        try SelfAttention.node(
          try value(a, "x"), layers: try a.integer("layers"), heads: try a.integer("heads"),
          maxlen: try a.integer("maxlen"), ffn: try a.integer("ffn"), dropout: Float(try a.number("dropout")))
      }
    }
    b.register(
      "crossatt(query, context, heads: 1, dropout: 0.1)",
      doc: "causal cross-attention: position t of query attends to context positions ≤ t (MIN §4.2.2)"
    ) { a, _ in
      try node(a) {
        try CrossAttention.node(
          try value(a, "query"), try value(a, "context"), heads: try a.integer("heads"),
          dropout: Float(try a.number("dropout")))
      }
    }
    b.register(
      "encdec(src, target, hidden: none, weight: 0.1)",
      doc: "item-level encoder-decoder translating src into target's space; adds weight·‖target − translation‖² (MIN §4.1)"
    ) { a, _ in
      try node(a) {
        var hidden: Int? = nil
        if let given = a.optional("hidden"), case .number = given { hidden = try a.integer("hidden") }
        return try EncoderDecoder.node(
          try value(a, "src"), try value(a, "target"), hidden: hidden, weight: Float(try a.number("weight")))
      }
    }
    b.register(
      "memory(states..., size: 20, hidden: 50, dropout: 0.3)",
      doc: "differentiated attention and gated multi-modal memory u_t over sequence states (MFN4Rec §3.2–3.3)"
    ) { a, _ in
      try node(a) {
        try Memory.node(
          try variadic(a), size: try a.integer("size"), hidden: try a.integer("hidden"), dropout: Float(try a.number("dropout")))
      }
    }
    b.register("tfidf(words, dim)", doc: "TF-IDF weighted sum of word embeddings per item (MFN4Rec §3.1)") { a, _ in
      try node(a) { try TFIDF.node(try value(a, "words"), dim: try a.integer("dim")) }
    }
    b.register("concat(values...)", doc: "features side by side (same level)") { a, _ in
      try node(a) { try ConcatLayer.node(try variadic(a)) }
    }
    b.register("add(a, b)", doc: "elementwise sum (same level and size)") { a, _ in
      try node(a) { try CombineLayer.node(.add, try value(a, "a"), try value(a, "b")) }
    }
    b.register("mul(a, b)", doc: "elementwise product (same level and size)") { a, _ in
      try node(a) { try CombineLayer.node(.mul, try value(a, "a"), try value(a, "b")) }
    }
    b.register("seq(x)", doc: "lift an item-level value into the batch's sequences [batch, maxlen, d]") { a, _ in
      try node(a) { try SequenceLift.node(try value(a, "x")) }
    }
    b.register("dropout(x, p)", doc: "inverted dropout in training, identity in evaluation") { a, _ in
      try node(a) { try DropoutLayer.node(try value(a, "x"), p: Float(try a.number("p"))) }
    }
    b.register("layernorm(x)", doc: "layer normalisation over features with learned gain and bias") { a, _ in
      try node(a) { try LayerNormLayer.node(try value(a, "x")) }
    }
    b.register(
      "infonce(a, b, weight: 0.1)",
      doc: "self-supervised loss: bilinear discriminator of (a_t, b_t) against in-batch shuffled pairs (MIN §4.3)"
    ) { a, _ in
      try node(a) { try InfoNCE.node(try value(a, "a"), try value(a, "b"), weight: Float(try a.number("weight"))) }
    }
    b.register("recommender(user, item)", doc: "the model: score = user state at the last position · item vector") { a, context in
      do {
        let r = try Recommender(user: try value(a, "user"), item: try value(a, "item"))
        let model = ModelValue(.neural(r), catalog: r.catalog)
        // The model's own call is the outermost one that received a data set (`MIN_add(data)`
        // rather than the `MIN_fused` it delegates to); else the innermost function.
        let calls = context.calls
        let modelCall = calls.first { call in
          call.arguments.contains { if case .host(let h) = $0.value { h is DatasetValue } else { false } }
        }
        if let (function, arguments) = modelCall ?? calls.last {
          model.functionName = function.name
          model.source = function.sourceText
          model.arguments = arguments
        }
        return .host(model)
      } catch let e as LayerError {
        throw diagnostic(e, a)
      }
    }
  }

  static func data(_ a: CallArguments) throws -> DatasetValue {
    try a.host("data", as: DatasetValue.self, described: "a data set (synthetic(...) or load(...))")
  }

  static func value(_ a: CallArguments, _ name: String) throws -> LayerNode {
    try a.host(name, as: NodeValue.self, described: "a layer value").node
  }

  static func variadic(_ a: CallArguments) throws -> [LayerNode] {
    try a.variadic.enumerated().map { i, v in
      guard case .host(let h) = v, let n = h as? NodeValue else {
        throw Diagnostic(
          .typeMismatch, "\(a.callee)() expects layer values, got \(ValueFormatter.describeForError(v))",
          at: a.variadicSpans[i], help: "usage: \(a.signature)")
      }
      return n.node
    }
  }

  static func node(_ a: CallArguments, _ build: () throws -> LayerNode) throws -> Value {
    do {
      return .host(NodeValue(try build()))
    } catch let e as LayerError {
      throw diagnostic(e, a)
    }
  }

  /// A layer error at the call; a level error names the argument as written.
  static func diagnostic(_ e: LayerError, _ a: CallArguments) -> Diagnostic {
    var message = e.message
    if case .level = e.kind, let i = e.argument {
      let text: String?
      if !a.variadic.isEmpty, i < a.variadicSpans.count {
        text = a.variadicSpans[i].text
      } else if i < a.signature.parameters.count, a.isGiven(a.signature.parameters[i].name) {
        text = a.span(of: a.signature.parameters[i].name).text
      } else {
        text = nil
      }
      if let text { message += " '\(text)'" }
    }
    return a.error(message, kind: .invalidValue, help: e.help)
  }
}
