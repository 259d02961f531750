import LoomRec

/// Finds a user by the data set's own id: `user: 42` matches raw id "42"; on data whose ids
/// carry a prefix (the synthetic set's "u42") a number also matches that form.
enum UserLookup {
  static func index(_ a: CallArguments, _ data: DatasetValue) throws -> Int {
    let v = try a.value("user")
    let wanted: [String]
    switch v {
    case .string(let s): wanted = [s]
    case .number(let n) where n == n.rounded(): wanted = [String(Int(n)), "u\(Int(n))"]
    default: throw a.typeError("user", expected: "a user id (number or string)", got: v)
    }
    for w in wanted { if let i = data.dataset.userIDs.firstIndex(of: w) { return i } }
    let sample = data.dataset.userIDs.prefix(3).joined(separator: ", ")
    throw a.error(
      "no user '\(wanted[0])' in data set '\(data.dataset.name)'", argument: "user",
      help: "user ids look like: \(sample)")
  }

  /// The user's most recent `maxlen` items, left-padded.
  static func lastItems(_ data: DatasetValue, user: Int, maxlen: Int) -> [Int32] {
    let items = data.dataset.sequences[user].suffix(maxlen)
    return [Int32](repeating: 0, count: maxlen - items.count) + items
  }

  static func label(_ data: DatasetValue, item: Int32) -> String {
    if let titles = data.dataset.titles, Int(item) < titles.count, !titles[Int(item)].isEmpty { return titles[Int(item)] }
    return data.dataset.itemIDs[Int(item)]
  }
}
