import Foundation

/// BERT's text normalisation, in the reference's order (HF tokenizers `BertNormalizer`):
///
/// 1. clean text: drop U+0000, U+FFFD and control characters; every whitespace becomes a space;
/// 2. Chinese characters: a space on each side, so each ideograph becomes a word of its own;
/// 3. strip accents (when `stripAccents`, which defaults to `lowercase`): canonical decomposition
///    (NFD), then drop nonspacing marks (Mn) — "café" → "cafe". The text stays decomposed;
/// 4. lowercase: each scalar's full lowercase mapping on its own ("İ" → "i̇"), without the
///    context rules (a final Σ becomes σ, as in the reference).
public struct BertNormalizer: Equatable, Sendable {
  public var cleanText: Bool
  public var handleChineseChars: Bool
  public var stripAccents: Bool
  public var lowercase: Bool

  public init(cleanText: Bool = true, handleChineseChars: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true) {
    self.cleanText = cleanText
    self.handleChineseChars = handleChineseChars
    self.stripAccents = stripAccents ?? lowercase
    self.lowercase = lowercase
  }

  /// The normalised text as Unicode scalars (the unit BERT's tokenizer counts in).
  public func normalize(_ text: String) -> [Unicode.Scalar] {
    var scalars: [Unicode.Scalar] = []
    scalars.reserveCapacity(text.unicodeScalars.count)
    for c in text.unicodeScalars {
      if cleanText {
        if c.value == 0 || c.value == 0xFFFD || BertCharacters.isControl(c) { continue }
        if BertCharacters.isWhitespace(c) {
          scalars.append(" ")
          continue
        }
      }
      if handleChineseChars && BertCharacters.isChinese(c) {
        scalars.append(" ")
        scalars.append(c)
        scalars.append(" ")
      } else {
        scalars.append(c)
      }
    }
    if stripAccents {
      var text = String.UnicodeScalarView()
      text.append(contentsOf: scalars)
      scalars = String(text).decomposedStringWithCanonicalMapping.unicodeScalars.filter {
        !BertCharacters.isNonspacingMark($0)
      }
    }
    if lowercase {
      var lowered: [Unicode.Scalar] = []
      lowered.reserveCapacity(scalars.count)
      for c in scalars {
        if c.isASCII {
          lowered.append(c.properties.isUppercase ? Unicode.Scalar(c.value + 32) ?? c : c)
        } else {
          lowered.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars)
        }
      }
      scalars = lowered
    }
    return scalars
  }
}
