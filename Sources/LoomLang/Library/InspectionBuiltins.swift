import LoomLayers
import LoomRec

/// Looking inside a model: attention maps (MIN Fig. 7).
enum InspectionBuiltins {
  static func register(in b: Builtins) {
    b.register(
      "attention(model, data, user, maxlen: none)",
      doc: "attention weights of every self- and cross-attention layer over the user's last items, for heatmap"
    ) { a, _ in
      let (model, data) = try TrainingBuiltins.modelAndData(a)
      guard let r = model.recommender else {
        throw a.error("attention() needs a neural model; Pop has no attention", argument: "model")
      }
      let user = try UserLookup.index(a, data)
      let maxlen = try MaxLength.resolve(a, model)
      guard maxlen > 0 else { throw a.error("maxlen must be positive", argument: "maxlen") }
      let sequence = UserLookup.lastItems(data, user: user, maxlen: maxlen)
      let maps = try r.attentionMaps(sequence: sequence)
      // Keep the real positions only: padding rows and columns are all zero.
      let start = sequence.firstIndex { $0 != 0 } ?? maxlen
      let labels = sequence[start...].map { UserLookup.label(data, item: $0) }
      let trimmed = maps.map { m in
        AttentionValue.Map(
          layer: m.layer, head: m.head, weights: m.weights[start...].map { row in row[start...].map(Double.init) })
      }
      return .host(AttentionValue(user: data.dataset.userIDs[user], labels: labels, maps: trimmed))
    }
  }
}
