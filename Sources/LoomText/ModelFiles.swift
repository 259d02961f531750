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

  /// The top-level JSON object of a file.
  static func jsonObject(_ path: String, help: String) throws -> [String: Any] {
    let bytes = try data(path, help: help)
    guard let object = (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any] else {
      throw EncoderError(.badConfig, file: path, "is not a JSON object", help: help)
    }
    return object
  }

  /// The top-level JSON array of a file.
  static func jsonArray(_ path: String, help: String) throws -> [Any] {
    let bytes = try data(path, help: help)
    guard let array = (try? JSONSerialization.jsonObject(with: bytes)) as? [Any] else {
      throw EncoderError(.badConfig, file: path, "is not a JSON array", help: help)
    }
    return array
  }
}

/// Typed reads from a decoded JSON object: a wrong type is an error naming the key and the file;
/// a missing key gives nil (or the default) so optional settings stay optional.
struct JSONFields {
  let object: [String: Any]
  let file: String

  func int(_ key: String) throws -> Int? {
    guard let value = object[key], !(value is NSNull) else { return nil }
    guard let number = value as? NSNumber, let int = Int(exactly: number.doubleValue) else {
      throw EncoderError(.badConfig, file: file, "\"\(key)\" should be an integer, not \(value)")
    }
    return int
  }

  func requiredInt(_ key: String) throws -> Int {
    guard let value = try int(key) else {
      throw EncoderError(.badConfig, file: file, "\"\(key)\" is missing")
    }
    return value
  }

  func double(_ key: String) throws -> Double? {
    guard let value = object[key], !(value is NSNull) else { return nil }
    guard let number = value as? NSNumber else {
      throw EncoderError(.badConfig, file: file, "\"\(key)\" should be a number, not \(value)")
    }
    return number.doubleValue
  }

  func bool(_ key: String) throws -> Bool? {
    guard let value = object[key], !(value is NSNull) else { return nil }
    guard let number = value as? NSNumber, number == 0 || number == 1 else {
      throw EncoderError(.badConfig, file: file, "\"\(key)\" should be true or false, not \(value)")
    }
    return number.boolValue
  }

  func string(_ key: String) throws -> String? {
    guard let value = object[key], !(value is NSNull) else { return nil }
    guard let string = value as? String else {
      throw EncoderError(.badConfig, file: file, "\"\(key)\" should be a string, not \(value)")
    }
    return string
  }

  func object(_ key: String) throws -> JSONFields? {
    guard let value = object[key], !(value is NSNull) else { return nil }
    guard let nested = value as? [String: Any] else {
      throw EncoderError(.badConfig, file: file, "\"\(key)\" should be an object")
    }
    return JSONFields(object: nested, file: file)
  }
}
