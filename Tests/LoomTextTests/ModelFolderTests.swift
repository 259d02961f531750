import Foundation
import Testing

@testable import LoomText

/// Model folders that cannot be used: each error names the file and its kind says why.
struct ModelFolderTests {
  private func loadError(_ directory: String) -> EncoderError? {
    do {
      _ = try SentenceEncoder(modelDirectory: directory)
      return nil
    } catch {
      return error as? EncoderError
    }
  }

  @Test func aMissingFolderIsNamed() {
    let e = loadError("/nonexistent/model")
    #expect(e?.kind == .missingFile)
    #expect(e?.file == "/nonexistent/model")
  }

  @Test func aMissingConfigIsNamed() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let e = loadError(directory)
    #expect(e?.kind == .missingFile)
    #expect(e?.file.hasSuffix("config.json") == true)
    #expect(e?.help?.contains("get-minilm.sh") == true)
  }

  @Test func anotherArchitectureIsUnsupported() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try write(#"{"model_type": "gpt2", "n_embd": 768}"#, to: directory + "/config.json")
    let e = loadError(directory)
    #expect(e?.kind == .unsupported)
    #expect(e?.message.contains("gpt2") == true)
    try write(#"{"model_type": "bert", "hidden_act": "relu"}"#, to: directory + "/config.json")
    #expect(loadError(directory)?.kind == .unsupported)
  }

  @Test func otherPoolingAndModulesAreUnsupported() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try write(
      #"[{"type": "sentence_transformers.models.Transformer", "path": ""}, {"type": "sentence_transformers.models.Pooling", "path": "1_Pooling"}]"#,
      to: directory + "/modules.json")
    try write(#"{"pooling_mode_mean_sqrt_len_tokens": true}"#, to: directory + "/1_Pooling/config.json")
    let pooling = { () -> EncoderError? in
      do {
        _ = try SentencePipeline(modelDirectory: directory)
        return nil
      } catch { return error as? EncoderError }
    }
    #expect(pooling()?.kind == .unsupported)
    try write(#"{"pooling_mode_cls_token": true}"#, to: directory + "/1_Pooling/config.json")
    #expect(try SentencePipeline(modelDirectory: directory) == SentencePipeline(pooling: .cls, normalize: false))
    try write(
      #"[{"type": "sentence_transformers.models.Transformer"}, {"type": "sentence_transformers.models.Pooling", "path": "1_Pooling"}, {"type": "sentence_transformers.models.Dense", "path": "2_Dense"}]"#,
      to: directory + "/modules.json")
    #expect(pooling()?.kind == .unsupported)
  }

  @Test(.enabled(if: miniLMPresent, "models/all-MiniLM-L6-v2 is missing: run bash Examples/get-minilm.sh"))
  func eachMissingFileOfARealFolderIsNamed() throws {
    for missing in ["config.json", "model.safetensors", "modules.json", "1_Pooling/config.json"] {
      let directory = try temporaryDirectory()
      defer { try? FileManager.default.removeItem(atPath: directory) }
      for name in [
        "config.json", "model.safetensors", "modules.json", "1_Pooling/config.json", "tokenizer.json",
        "sentence_bert_config.json",
      ]
      where name != missing {
        try FileManager.default.createDirectory(atPath: directory + "/1_Pooling", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory + "/" + name, withDestinationPath: miniLMPath + "/" + name)
      }
      let e = loadError(directory)
      #expect(e?.kind == .missingFile, "\(missing)")
      #expect(e?.file.hasSuffix(missing) == true, "\(missing): \(e?.file ?? "no error")")
    }
  }

  @Test(.enabled(if: miniLMPresent, "models/all-MiniLM-L6-v2 is missing: run bash Examples/get-minilm.sh"))
  func aTruncatedWeightFileIsCaught() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for name in ["config.json", "modules.json", "1_Pooling/config.json", "tokenizer.json", "sentence_bert_config.json"] {
      try FileManager.default.createDirectory(atPath: directory + "/1_Pooling", withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(atPath: directory + "/" + name, withDestinationPath: miniLMPath + "/" + name)
    }
    let weights = try Data(contentsOf: URL(fileURLWithPath: miniLMPath + "/model.safetensors"))
    try weights.prefix(weights.count / 2).write(to: URL(fileURLWithPath: directory + "/model.safetensors"))
    let e = loadError(directory)
    #expect(e?.kind == .truncated)
    #expect(e?.file.hasSuffix("model.safetensors") == true)
  }
}
