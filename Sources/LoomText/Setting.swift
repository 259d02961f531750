/// One setting of a model file: a missing key or null reads as nil (optional settings stay
/// optional), a value of another type is an error naming the key and the file.
struct Setting<Value: SettingValue>: Sendable {
  let key: String
  let file: String
  /// nil when the key is missing.
  let json: JSONValue?

  var value: Value? {
    get throws {
      guard let json, json != .null else { return nil }
      guard let value = Value.read(json, file: file) else {
        throw EncoderError(.badConfig, file: file, "\"\(key)\" \(Value.mismatch(json))")
      }
      return value
    }
  }

  var required: Value {
    get throws {
      guard let value = try value else {
        throw EncoderError(.badConfig, file: file, "\"\(key)\" is missing")
      }
      return value
    }
  }
}

/// What a setting can hold.
protocol SettingValue {
  /// The value `json` holds, or nil when it holds something else.
  static func read(_ json: JSONValue, file: String) -> Self?
  /// The error for `json`, after the key: "should be an integer, not 3.5".
  static func mismatch(_ json: JSONValue) -> String
}

extension Int: SettingValue {
  static func read(_ json: JSONValue, file: String) -> Int? { json.number.flatMap { Int(exactly: $0) } }
  static func mismatch(_ json: JSONValue) -> String { "should be an integer, not \(json)" }
}

extension Double: SettingValue {
  static func read(_ json: JSONValue, file: String) -> Double? { json.number }
  static func mismatch(_ json: JSONValue) -> String { "should be a number, not \(json)" }
}

extension Bool: SettingValue {
  /// true, false, or the numbers 1 and 0.
  static func read(_ json: JSONValue, file: String) -> Bool? {
    guard let number = json.number, number == 0 || number == 1 else { return nil }
    return number == 1
  }

  static func mismatch(_ json: JSONValue) -> String { "should be true or false, not \(json)" }
}

extension String: SettingValue {
  static func read(_ json: JSONValue, file: String) -> String? { json.string }
  static func mismatch(_ json: JSONValue) -> String { "should be a string, not \(json)" }
}

/// A JSON object of a model file seen through its settings (config.json, tokenizer.json's
/// "model", ...). Making one never fails: each setting is checked when the code reads it, so
/// settings are checked in the order the code needs them, and one the code does not read
/// cannot fail a load.
protocol SettingsObject: SettingValue {
  init(_ fields: JSONFields)
}

extension SettingsObject {
  static func read(_ json: JSONValue, file: String) -> Self? {
    json.object.map { Self(JSONFields($0, file: file)) }
  }

  static func mismatch(_ json: JSONValue) -> String { "should be an object" }
}

/// One JSON object of a model file and the file it is in: what a `SettingsObject` reads.
struct JSONFields: Sendable {
  let values: [String: JSONValue]
  let file: String

  init(_ values: [String: JSONValue], file: String) {
    self.values = values
    self.file = file
  }

  func setting<Value>(_ key: String) -> Setting<Value> {
    Setting(key: key, file: file, json: values[key])
  }
}
