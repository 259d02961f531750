import Foundation
import LoomFiles

/// One recommended item for one user, named as the data set's files name it.
public struct Recommendation: Sendable, Equatable {
  /// 1 for the best item.
  public var rank: Int
  /// The item's original id (never the internal index).
  public var item: String
  /// The item's title, when the data set has titles and this item's is not empty.
  public var title: String?
  public var score: Float

  public init(rank: Int, item: String, title: String?, score: Float) {
    self.rank = rank
    self.item = item
    self.title = title
    self.score = score
  }
}

/// Why recommendations could not be made or exported. Tests assert `kind`.
public struct RecommendationError: Error, Equatable, Sendable, CustomStringConvertible {
  public enum Kind: String, Equatable, Sendable {
    case unknownUser
    case badArgument
    case badScores
    case cannotWrite
  }

  public var kind: Kind
  public var message: String
  public var help: String?

  public init(_ kind: Kind, _ message: String, help: String? = nil) {
    self.kind = kind
    self.message = message
    self.help = help
  }

  public var description: String {
    var text = "error: recommend: \(message)"
    if let help { text += "\n  help: \(help)" }
    return text
  }
}

/// The model input for recommending to a user: their whole sequence as context, i.e. its last
/// `maxlen` items, left-padded with 0 to `[maxlen]` (the model reads the last position).
public func recommendationInput(_ sequence: some Collection<Int32>, maxlen: Int) -> [Int32] {
  let context = sequence.suffix(maxlen)
  return [Int32](repeating: 0, count: maxlen - context.count) + context
}

/// The top `k` items of one score row `[itemCount + 1]`, the padding item 0 and `history` left
/// out, best first (ties to the lower internal id, as `topK`), with raw ids and titles.
public func recommend(
  scores row: ArraySlice<Float>, history: some Sequence<Int32>, k: Int, data: Dataset
) -> [Recommendation] {
  topK(row, k: k, excluding: history).enumerated().map { index, pick in
    let title = data.titles.flatMap { titles in
      Int(pick.item) < titles.count && !titles[Int(pick.item)].isEmpty ? titles[Int(pick.item)] : nil
    }
    return Recommendation(rank: index + 1, item: data.itemIDs[Int(pick.item)], title: title, score: pick.score)
  }
}

/// The internal index of the user whose original id is `user`.
public func userIndex(_ user: String, in data: Dataset) throws -> Int {
  if let index = data.userIDs.firstIndex(of: user) { return index }
  let examples = data.userIDs.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
  throw RecommendationError(
    .unknownUser, "data set '\(data.name)' has no user '\(user)'",
    help: data.userIDs.isEmpty ? "the data set has no users" : "use an original user id, such as \(examples)")
}

/// The top `k` unseen items for one user (original id), scored from their whole sequence.
///
/// - Parameters:
///   - maxlen: the model's context length; the input is the last maxlen items, left-padded.
///   - score: any model, as for `Evaluator`: `[1, maxlen]` ids in, `[1, itemCount + 1]` scores out.
public func recommend(user: String, data: Dataset, k: Int, maxlen: Int, score: Scorer) throws -> [Recommendation] {
  try checkArguments(k: k, maxlen: maxlen, batchSize: 1)
  let index = try userIndex(user, in: data)
  let sequence = data.sequences[index]
  let scores = try checkedScores(score([index], recommendationInput(sequence, maxlen: maxlen)), rows: 1, data: data)
  return recommend(scores: scores[...], history: sequence, k: k, data: data)
}

/// Every user's recommendations, in user order, scoring `batchSize` users per scorer call.
public func recommendAll(
  data: Dataset, k: Int, maxlen: Int, batchSize: Int = 256, score: Scorer
) throws -> [(user: String, items: [Recommendation])] {
  try checkArguments(k: k, maxlen: maxlen, batchSize: batchSize)
  let width = data.itemCount + 1
  var result: [(user: String, items: [Recommendation])] = []
  result.reserveCapacity(data.userCount)
  var start = 0
  while start < data.userCount {
    let users = Array(start..<min(data.userCount, start + batchSize))
    start += users.count
    let inputs = users.flatMap { recommendationInput(data.sequences[$0], maxlen: maxlen) }
    let scores = try checkedScores(score(users, inputs), rows: users.count, data: data)
    for (row, user) in users.enumerated() {
      let items = recommend(
        scores: scores[(row * width)..<((row + 1) * width)], history: data.sequences[user], k: k, data: data)
      result.append((data.userIDs[user], items))
    }
  }
  return result
}

/// Writes `user,rank,item,score` for the top `k` unseen items of every user, with original
/// user and item ids, atomically (temporary file, then rename). Fields holding a comma, a
/// double quote or a line break are quoted as RFC 4180 says (`"a,b"`, `"say ""hi"""`);
/// lines end with "\n". Scores are Float32 printed in their shortest exact form.
///
/// - Returns: the number of recommendation rows written (the header not counted).
@discardableResult
public func exportRecommendations(
  data: Dataset, to path: String, k: Int, maxlen: Int, batchSize: Int = 256, score: Scorer
) throws -> Int {
  let all = try recommendAll(data: data, k: k, maxlen: maxlen, batchSize: batchSize, score: score)
  var text = "user,rank,item,score\n"
  var rows = 0
  for (user, items) in all {
    let userField = csvField(user)
    for item in items {
      text += "\(userField),\(item.rank),\(csvField(item.item)),\(item.score)\n"
      rows += 1
    }
  }
  do {
    try writeAtomically(Array(text.utf8), to: path)
  } catch let failure as AtomicWriteFailure {
    throw RecommendationError(
      .cannotWrite, "cannot write '\(path)': \(failure.reason)", help: "choose a path in an existing, writable directory")
  }
  return rows
}

/// One CSV field per RFC 4180: quoted, with inner quotes doubled, when it holds a comma,
/// a double quote, a carriage return or a line feed; otherwise as is.
func csvField(_ text: String) -> String {
  guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
    return text
  }
  return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

private func checkArguments(k: Int, maxlen: Int, batchSize: Int) throws {
  guard k > 0 else { throw RecommendationError(.badArgument, "k must be positive, got \(k)", help: "ask for k: 10") }
  guard maxlen > 0 else {
    throw RecommendationError(.badArgument, "maxlen must be positive, got \(maxlen)", help: "use the model's maxlen, e.g. 50")
  }
  guard batchSize > 0 else { throw RecommendationError(.badArgument, "batch size must be positive, got \(batchSize)") }
}

private func checkedScores(_ scores: [Float], rows: Int, data: Dataset) throws -> [Float] {
  let width = data.itemCount + 1
  guard scores.count == rows * width else {
    throw RecommendationError(
      .badScores,
      "the model returned \(scores.count) scores for \(rows) users × \(width) items (expected \(rows * width))",
      help: "score with a model built for data set '\(data.name)'")
  }
  return scores
}
