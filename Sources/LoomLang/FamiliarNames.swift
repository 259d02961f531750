/// Names that researchers bring from PyTorch, Keras and RecBole, mapped to Loom's own, so that
/// `train(m, data)` is answered with "Loom's name for this is 'fit'" rather than a bare
/// "unknown name" (or, for `lstm`, a misleading "did you mean 'str'?").
public enum FamiliarNames {
  /// Familiar name (lower-cased) → Loom's name and, where they differ in kind, a word on how.
  static let table: [String: (loom: String, note: String?)] = [
    "train": ("fit", nil), "train_model": ("fit", nil), "fit_model": ("fit", nil),
    "test": ("evaluate", nil), "eval": ("evaluate", nil), "evaluation": ("evaluate", nil),
    "predict": ("recommend", nil), "topk": ("recommend", nil), "full_sort_topk": ("recommend", nil),
    "load_model": ("restore", nil), "load_checkpoint": ("restore", nil), "load_state_dict": ("restore", nil),
    "save_model": ("save", nil), "save_checkpoint": ("save", nil), "checkpoint": ("save", nil),
    "state_dict": ("save", nil),
    "linear": ("dense", nil), "fc": ("dense", nil), "mlp": ("dense", "stack dense layers for an MLP"),
    "lstm": ("gru", "Loom's recurrent layer is a GRU"), "rnn": ("gru", "Loom's recurrent layer is a GRU"),
    "transformer": ("selfatt", "a stack of self-attention blocks, as SASRec"),
    "self_attention": ("selfatt", nil), "multiheadattention": ("selfatt", nil), "mha": ("selfatt", nil),
    "cross_attention": ("crossatt", nil),
    "concatenate": ("concat", nil), "cat": ("concat", nil),
    "embedding": ("embed", nil), "layer_norm": ("layernorm", nil),
    "load_dataset": ("load", nil), "dataset": ("load", nil), "create_dataset": ("load", nil),
    "ttest": ("compare", "compare() trains repeated runs and gives paired t-tests"),
    "t_test": ("compare", "compare() trains repeated runs and gives paired t-tests"),
  ]

  /// "Loom's name for this is 'fit'; :help fit shows how to call it", when `name` is a familiar
  /// name whose Loom counterpart is among `known` (the names this program can see).
  public static func help(for name: String, known: some Sequence<String>) -> String? {
    guard let entry = table[name.lowercased()], known.contains(entry.loom) else { return nil }
    let note = entry.note.map { " (\($0))" } ?? ""
    return "Loom's name for this is '\(entry.loom)'\(note); :help \(entry.loom) shows how to call it"
  }
}
