/// The Loom source of the shipped models (MIN, MFN4Rec, SASRec, GRU4Rec): the text of
/// `prelude.loom`, which users can read and copy. The EmbedPrelude build-tool plugin compiles
/// that file into the binary as `preludeText` (Plugins/EmbedPrelude), so an installed `loom`
/// needs no resource files beside it.
public enum Prelude {
  public static let source: String = preludeText
}
