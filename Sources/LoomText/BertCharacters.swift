/// What BERT's text cleaning and splitting think a character is, answered from Swift's own Unicode
/// properties.
///
/// HF tokenizers (the reference for every sentence-transformers model) asks two sources: Rust's
/// standard library for whitespace and lowercase (current Unicode), and the `unicode_categories`
/// crate for "other" (control, format, private use), punctuation and nonspacing marks, whose
/// tables stop at Unicode 8.0. A character assigned after 8.0 is therefore unassigned to it:
/// U+2E43 (Po, Unicode 9) is not split off as punctuation and U+0890 (Cf, Unicode 14) is not
/// removed as a control character. `categoryAge` reproduces that with
/// `Unicode.Scalar.Properties.age`, so the ids equal the reference's for new characters too.
enum BertCharacters {
  /// The last Unicode version the reference's general-category tables know.
  static let categoryAge: Unicode.Version = (major: 8, minor: 0)

  /// The general category as the reference sees it: `.unassigned` for scalars newer than
  /// `categoryAge`.
  static func category(_ c: Unicode.Scalar) -> Unicode.GeneralCategory {
    guard let age = c.properties.age else { return .unassigned }
    if age.major > categoryAge.major || (age.major == categoryAge.major && age.minor > categoryAge.minor) {
      return .unassigned
    }
    return c.properties.generalCategory
  }

  /// Tab, newline and carriage return count as whitespace although they are control characters;
  /// otherwise the White_Space property.
  static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
    c == "\t" || c == "\n" || c == "\r" || c.properties.isWhitespace
  }

  /// Removed by text cleaning: the "other" categories Cc, Cf, Co (Cs cannot occur in a Swift
  /// string), except the three whitespace controls. The reference's "other" does not include
  /// unassigned code points (checked: U+0378 stays and turns its word into [UNK]).
  static func isControl(_ c: Unicode.Scalar) -> Bool {
    if c == "\t" || c == "\n" || c == "\r" { return false }
    switch category(c) {
    case .control, .format, .privateUse, .surrogate: return true
    default: return false
    }
  }

  /// BERT's `_is_punctuation`: every ASCII character that is neither a letter, a digit, a space
  /// nor a control (so `$`, `+`, `^`, `` ` `` count although Unicode calls them symbols), plus
  /// the Unicode punctuation categories Pc, Pd, Ps, Pe, Pi, Pf, Po.
  static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
    if c.isASCII {
      let v = c.value
      return (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v)
    }
    switch category(c) {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
      .initialPunctuation, .finalPunctuation, .otherPunctuation:
      return true
    default: return false
    }
  }

  /// A nonspacing mark (Mn): what accent stripping drops after canonical decomposition.
  static func isNonspacingMark(_ c: Unicode.Scalar) -> Bool {
    category(c) == .nonspacingMark
  }

  /// BERT's "Chinese character": the CJK Unified Ideographs blocks and their extensions and
  /// compatibility blocks (not Hangul, Hiragana or Katakana, which separate words with spaces).
  /// These ranges are BERT's definition, not a Unicode property, so they are spelled out as HF
  /// tokenizers has them (its Extension E range starts at U+2B920 where google-research/bert's
  /// `_is_chinese_char` starts at U+2B820; the reference wins).
  static func isChinese(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
      0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
      return true
    default: return false
    }
  }
}
