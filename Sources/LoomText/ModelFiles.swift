import Foundation

/// Reading the files of a sentence-transformers model folder, with errors that name the file.
enum ModelFiles {
  /// What to do about a missing file, whichever it is.
  static let folderHelp =
    "a sentence-transformers model folder has config.json, model.safetensors, tokenizer.json or vocab.txt, modules.json and 1_Pooling/config.json; bash Examples/get-minilm.sh fetches all-MiniLM-L6-v2 into models/"

  static func path(_ directory: String, _ name: String) -> String {
    (directory as NSString).appendingPathComponent(name)
  }

  static func exists(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: path)
  }

  /// Fails with `.missingFile` when the folder itself is missing, so that a wrong path is not
  /// reported as a missing config.json.
  static func requireDirectory(_ directory: String) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw EncoderError(.missingFile, file: directory, "no such model folder", help: folderHelp)
    }
  }

  /// A file's bytes (memory-mapped); `help` is for a file that is there but cannot be read.
  static func data(_ path: String, help: String) throws -> Data {
    guard exists(path) else {
      throw EncoderError(.missingFile, file: path, "missing from the model folder", help: folderHelp)
    }
    do {
      return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    } catch {
      throw EncoderError(.missingFile, file: path, "cannot be read: \(error.localizedDescription)", help: help)
    }
  }

  /// A file's top-level JSON object, read through `T` (config.json, tokenizer.json, ...).
  static func object<T: SettingsObject>(_ type: T.Type, at path: String, help: String) throws -> T {
    T(JSONFields(try decode([String: JSONValue].self, at: path, help: help, failure: "is not a JSON object"), file: path))
  }

  /// A file's top-level JSON array, its objects read through `T` and anything else skipped
  /// (modules.json).
  static func objects<T: SettingsObject>(_ type: T.Type, at path: String, help: String) throws -> [T] {
    try decode([JSONValue].self, at: path, help: help, failure: "is not a JSON array").compactMap { value in
      value.object.map { T(JSONFields($0, file: path)) }
    }
  }

  /// `failure` says what the file should have been when it cannot be decoded as `T`.
  private static func decode<T: Decodable>(_ type: T.Type, at path: String, help: String, failure: String) throws -> T {
    let bytes = try data(path, help: help)
    guard let value = try? JSONDecoder().decode(type, from: bytes) else {
      throw EncoderError(.badConfig, file: path, failure, help: help)
    }
    return value
  }
}
