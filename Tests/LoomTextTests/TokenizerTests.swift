import Foundation
import Testing

@testable import LoomText

/// A vocabulary small enough to check by hand.
private func tinyTokenizer(maxLength: Int = 16, lowercase: Bool = true) -> WordPieceTokenizer {
  let tokens = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "a", "b", ",", "!", "cafe", "日", "本", "x", "##x",
  ]
  var vocabulary: [String: Int32] = [:]
  for (i, t) in tokens.enumerated() { vocabulary[t] = Int32(i) }
  return WordPieceTokenizer(
    normalizer: BertNormalizer(lowercase: lowercase),
    wordPiece: WordPiece(vocabulary: vocabulary, unknownID: 1, maxInputCharsPerWord: 10),
    classID: 2, separatorID: 3, maxLength: maxLength,
    specialTokens: [.init(content: "[MASK]", id: 4), .init(content: "[CLS]", id: 2)])
}

struct TokenizerTests {
  @Test func wordPieceTakesTheLongestPieceFirst() {
    #expect(tinyTokenizer().encode("unaffable") == [2, 5, 6, 7, 3])
    #expect(tinyTokenizer().encode("") == [2, 3])
  }

  @Test func aWordWithAnUnknownPieceIsOneUnknown() {
    // "unaffablez": "un", "##aff", "##able" then nothing for "z" → the whole word is [UNK].
    #expect(tinyTokenizer().encode("unaffablez a") == [2, 1, 8, 3])
  }

  @Test func wordsLongerThanTheLimitAreUnknown() {
    let ten = String(repeating: "x", count: 10)
    let eleven = ten + "x"
    #expect(tinyTokenizer().encode(ten + " " + eleven) == [2, 15] + Array(repeating: 16, count: 9) + [1, 3])
  }

  @Test func punctuationAndWhitespaceSplit() {
    #expect(tinyTokenizer().encode(" A,b!\t\u{0007}a") == [2, 8, 10, 9, 11, 8, 3])
  }

  @Test func accentsAreStrippedAndCaseLowered() {
    #expect(tinyTokenizer().encode("CAFÉ Cafe\u{0301}") == [2, 12, 12, 3])
    #expect(tinyTokenizer(lowercase: false).encode("CAFE") == [2, 1, 3])
  }

  @Test func chineseCharactersAreWordsOfTheirOwn() {
    #expect(tinyTokenizer().encode("a日本b") == [2, 8, 13, 14, 9, 3])
  }

  @Test func specialTokensAreMatchedInTheRawText() {
    // "[mask]" is not special: it becomes "[", "mask", "]", none of them in the vocabulary.
    #expect(tinyTokenizer().encode("a[MASK]b [CLS] [mask]") == [2, 8, 4, 9, 2, 1, 1, 1, 3])
  }

  @Test func truncationKeepsTheSeparator() {
    let ids = tinyTokenizer(maxLength: 5).encode("a b a b a b")
    #expect(ids == [2, 8, 9, 8, 3])
  }

  @Test func unicodeNewerThanTheReferenceTablesIsUnassigned() {
    // U+2E42 (Unicode 7.0, Ps) is punctuation; U+2E43 (Unicode 9.0, Po) is not yet to the reference.
    #expect(BertCharacters.isPunctuation("\u{2E42}"))
    #expect(!BertCharacters.isPunctuation("\u{2E43}"))
    #expect(BertCharacters.isControl("\u{200B}"))
    #expect(!BertCharacters.isControl("\u{0890}"))
    #expect(BertCharacters.isPunctuation("$") && BertCharacters.isPunctuation("`") && !BertCharacters.isPunctuation("a"))
  }
}

/// The ids of the reference tokenizer (HF tokenizers through sentence-transformers) on texts that
/// hit every rule: accents, punctuation, CJK, emoji, controls, long words, truncation at 256.
@Suite(.enabled(if: miniLMPresent, "models/all-MiniLM-L6-v2 is missing: run bash Examples/get-minilm.sh"))
struct ReferenceTokenizerTests {
  @Test func idsEqualTheReference() throws {
    let fixture = try ReferenceFixture.load()
    let tokenizer = try WordPieceTokenizer(modelDirectory: miniLMPath)
    #expect(tokenizer.maxLength == fixture.maxSeqLength)
    for c in fixture.tokens {
      let ids = tokenizer.encode(c.text)
      #expect(ids == c.ids, "\(c.text.debugDescription)")
    }
    #expect(fixture.tokens.contains { $0.ids.count == 256 })
  }

  @Test func vocabularyFileGivesTheSameIds() throws {
    // Without tokenizer.json the folder's vocab.txt and tokenizer_config.json describe the same
    // tokenizer.
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for name in ["vocab.txt", "tokenizer_config.json", "sentence_bert_config.json", "config.json"] {
      try FileManager.default.copyItem(atPath: miniLMPath + "/" + name, toPath: directory + "/" + name)
    }
    let fromVocabulary = try WordPieceTokenizer(modelDirectory: directory)
    for c in try ReferenceFixture.load().tokens {
      #expect(fromVocabulary.encode(c.text) == c.ids, "\(c.text.debugDescription)")
    }
  }
}
