import Foundation
import Testing

@testable import LoomLang

struct PreludeTests {
  /// The EmbedPrelude plugin compiles prelude.loom into the binary; the text must come through
  /// exactly, quotes, backslashes and the final newline included.
  @Test func theEmbeddedPreludeIsPreludeLoomExactly() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../Sources/LoomLang/prelude.loom").standardized
    let onDisk = try String(contentsOf: url, encoding: .utf8)
    #expect(Prelude.source == onDisk)
    #expect(Prelude.source.contains("def MIN(data"))
  }
}

/// Evaluation in length buckets (`Evaluator.scoresByLengthByDefault`) is exact: for every
/// model of the prelude, the report scored in length buckets equals the one with every user
/// padded to maxlen, to the last bit, on histories of many lengths.
@Suite(.serialized) struct BucketedEvaluationTests {
  @Test func everyPreludeModelScoresTheSameInLengthBuckets() throws {
    let models = [
      "SASRec", "MIN", "GRU4Rec", "FDSA", "pRNN", "MFN4Rec", "MFN4Rec_add", "MFN4Rec_g", "MFN4Rec_m", "MIN_i",
      "MIN_add", "MIN_s", "MIN_t", "MIN_v", "MIN_dot",
    ]
    let run = RecordingInterpreter()
    try run.run(
      """
      data = synthetic(users: 120, items: 150, seed: 3)
      for f in [\(models.joined(separator: ", "))] {
        m = f(data, dim: 16)
        for split in ["test", "valid"] {
          a = evaluate(m, data, split: split, buckets: false)
          b = evaluate(m, data, split: split)
          for name in a { if a[name] != b[name] { print("differs", f, split, name, a[name], b[name]) } }
          print("checked", split)
        }
      }
      """)
    let lines = run.lines
    #expect(lines.filter { $0.hasPrefix("checked") }.count == 2 * models.count)
    #expect(lines.filter { $0.hasPrefix("differs") } == [])
  }
}
