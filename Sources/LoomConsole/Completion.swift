import Foundation
import LoomLang

/// Tab completion: the console splits the line into words at ``wordBreakCharacters`` (readline
/// does this itself) and asks for the candidates that may replace the word under the cursor.
extension Session {
  /// Characters that end a word. `.` and `/` are not among them, so that `cfg.di` and
  /// `data/ml-1` are single words; operators inside a word are handled here.
  public static let wordBreakCharacters = " \t\n\"([{,=:;"

  /// Full replacements for `word`, given the text of the line before it, sorted:
  /// - after `:` at the start of the line: command names; after `:help `: names; after `:load `: paths
  /// - inside a string literal: file paths
  /// - `name.fi`: the fields of the record or host value `name`
  /// - otherwise: keywords, builtins, prelude models and variables
  public func completions(word: String, before: String) -> [String] {
    let trimmedBefore = before.trimmingCharacters(in: .whitespaces)
    if trimmedBefore == ":" && !before.hasSuffix(" ") {
      return Session.commands.map(\.name).filter { $0.hasPrefix(word) }
    }
    if trimmedBefore == ":help" { return knownNames.filter { $0.hasPrefix(word) } }
    if trimmedBefore == ":load" || Session.isInsideString(before) { return Session.pathCompletions(word) }
    let operatorIndex = word.lastIndex { "+-*/%<>!".contains($0) }
    let head = operatorIndex.map { String(word[...$0]) } ?? ""
    let tail = operatorIndex.map { String(word[word.index(after: $0)...]) } ?? word
    if let dot = tail.lastIndex(of: ".") {
      let base = String(tail[..<dot])
      let prefix = String(tail[tail.index(after: dot)...])
      return fieldNames(of: base).filter { $0.hasPrefix(prefix) }.map { head + base + "." + $0 }
    }
    return knownNames.filter { $0.hasPrefix(tail) }.map { head + $0 }
  }

  /// Whether accepting `completion`, the only candidate, should add a space after it, as a
  /// user would type one: after a keyword (`for `, `in `, `return `, but not the values
  /// `true`, `false`, `none`) and after a console command (`:load `). Not after a name, which
  /// a call's `(`, an index's `[`, a `.` or an operator follows (`print(x)`, not `print (x)`),
  /// nor after a field or a path, which a `.`, a `/` or the closing quote follows.
  public func completionAppendsSpace(_ completion: String, before: String) -> Bool {
    let trimmedBefore = before.trimmingCharacters(in: .whitespaces)
    if trimmedBefore == ":" && !before.hasSuffix(" ") { return true }
    if trimmedBefore == ":help" || trimmedBefore == ":load" || Session.isInsideString(before) { return false }
    let name =
      completion.lastIndex { "+-*/%<>!".contains($0) }.map { String(completion[completion.index(after: $0)...]) } ?? completion
    guard let keyword = Keyword(rawValue: name) else { return false }
    return ![.true, .false, .none].contains(keyword)
  }

  /// Whether the text ends inside a string literal (an odd number of unescaped quotes).
  static func isInsideString(_ text: String) -> Bool {
    var inside = false
    var escaped = false
    for character in text {
      if escaped {
        escaped = false
      } else if character == "\\" && inside {
        escaped = true
      } else if character == "\"" {
        inside.toggle()
      } else if character == "#" && !inside {
        return false
      }
    }
    return inside
  }

  /// Field names of a dotted path of variables, e.g. `cfg` or `run.config`, without running code.
  func fieldNames(of path: String) -> [String] {
    let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard let first = parts.first, var value = interpreter.lookupGlobal(first) else { return [] }
    for part in parts.dropFirst() {
      switch value {
      case .record(let record):
        guard let next = record[part] else { return [] }
        value = next
      case .host(let host):
        guard let next = try? host.field(part) else { return [] }
        value = next
      default:
        return []
      }
    }
    switch value {
    case .record(let record): return record.keys
    case .host(let host): return host.fieldNames.sorted()
    default: return []
    }
  }

  /// Entries of the directory named by `partial` whose names start with its last component;
  /// directories end in `/`.
  static func pathCompletions(_ partial: String) -> [String] {
    let slash = partial.lastIndex(of: "/")
    let directory = slash.map { String(partial[...$0]) } ?? ""
    let prefix = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
    let listed = directory.isEmpty ? "." : directory
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: listed) else { return [] }
    return entries.filter { $0.hasPrefix(prefix) && (prefix.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().map { entry in
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: directory + entry, isDirectory: &isDirectory)
      return directory + entry + (isDirectory.boolValue ? "/" : "")
    }
  }
}
