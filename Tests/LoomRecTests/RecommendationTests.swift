import Foundation
import LoomLayers
import Testing

@testable import LoomRec

private func recommendationError(_ body: () throws -> Void) -> RecommendationError? {
  do {
    try body()
    return nil
  } catch let error as RecommendationError {
    return error
  } catch {
    return nil
  }
}

private func exportDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("loomrecs-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Splits RFC 4180 CSV text (LF line ends) into rows of fields.
private func parseCSV(_ text: String) -> [[String]] {
  var rows: [[String]] = []
  var row: [String] = []
  var field = ""
  var quoted = false
  var characters = Array(text)[...]
  while let c = characters.popFirst() {
    if quoted {
      if c == "\"" {
        if characters.first == "\"" {
          field.append("\"")
          characters.removeFirst()
        } else {
          quoted = false
        }
      } else {
        field.append(c)
      }
    } else if c == "\"" {
      quoted = true
    } else if c == "," {
      row.append(field)
      field = ""
    } else if c == "\n" {
      row.append(field)
      rows.append(row)
      row = []
      field = ""
    } else {
      field.append(c)
    }
  }
  return rows
}

/// Five items with ids unlike their indices, two of them needing quotes in CSV.
private let shop = Dataset(
  name: "shop", userIDs: ["doe, jane", "u2"],
  itemIDs: [Dataset.paddingID, "i1", "i2", "x,y", "q\"z", "i5"],
  sequences: [[4], [1, 2]],
  titles: ["", "One", "Two", "", "Four", "Five"])

@Suite struct RecommendationTests {
  @Test func oneRowGivesRawIdsTitlesAndRanksWithoutHistoryOrPadding() {
    let row: [Float] = [99, 0.1, 0.9, 0.5, 0.7, 0.3]
    let picks = recommend(scores: row[...], history: [Int32(2)], k: 3, data: shop)
    #expect(
      picks == [
        Recommendation(rank: 1, item: "q\"z", title: "Four", score: 0.7),
        Recommendation(rank: 2, item: "x,y", title: nil, score: 0.5),
        Recommendation(rank: 3, item: "i5", title: "Five", score: 0.3),
      ])
    let all = recommend(scores: row[...], history: [Int32](), k: 10, data: shop)
    #expect(all.map(\.item) == ["i2", "q\"z", "x,y", "i5", "i1"])
  }

  @Test func inputIsTheLastMaxlenItemsLeftPadded() {
    #expect(recommendationInput([1, 2, 3] as [Int32], maxlen: 5) == [0, 0, 1, 2, 3])
    #expect(recommendationInput([1, 2, 3, 4, 5, 6, 7] as [Int32], maxlen: 3) == [5, 6, 7])
    #expect(recommendationInput([Int32](), maxlen: 2) == [0, 0])
  }

  @Test func recommendForOneUserFeedsTheWholeSequence() throws {
    var seen: [([Int], [Int32])] = []
    let picks = try recommend(user: "u2", data: shop, k: 2, maxlen: 3) { users, inputs in
      seen.append((users, inputs))
      return (0..<6).map { Float($0) }
    }
    #expect(seen.count == 1 && seen[0].0 == [1] && seen[0].1 == [0, 1, 2])
    #expect(picks.map(\.item) == ["i5", "q\"z"])
    #expect(picks.map(\.score) == [5, 4])
  }

  @Test func badRequestsAreRefused() {
    let scorer: Scorer = { users, _ in [Float](repeating: 0, count: users.count * 6) }
    let unknown = recommendationError { _ = try recommend(user: "nobody", data: shop, k: 2, maxlen: 3, score: scorer) }
    #expect(unknown?.kind == .unknownUser)
    #expect(unknown?.message == "data set 'shop' has no user 'nobody'")
    #expect(
      recommendationError { _ = try recommend(user: "u2", data: shop, k: 0, maxlen: 3, score: scorer) }?.kind == .badArgument)
    let short: Scorer = { _, _ in [1, 2, 3] }
    #expect(recommendationError { _ = try recommend(user: "u2", data: shop, k: 2, maxlen: 3, score: short) }?.kind == .badScores)
  }

  @Test func csvFieldsAreQuotedOnlyWhenNeeded() {
    #expect(csvField("plain") == "plain")
    #expect(csvField("a,b") == "\"a,b\"")
    #expect(csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(csvField("two\nlines") == "\"two\nlines\"")
  }

  @Test func exportWritesTheHandComputedFile() throws {
    let directory = try exportDirectory()
    let path = directory.appendingPathComponent("recs.csv").path
    let rows = try exportRecommendations(data: shop, to: path, k: 2, maxlen: 3, batchSize: 1) { users, _ in
      users.flatMap { _ in (0..<6).map { Float($0) } }
    }
    #expect(rows == 4)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(
      text == """
        user,rank,item,score
        "doe, jane",1,i5,5.0
        "doe, jane",2,"x,y",3.0
        u2,1,i5,5.0
        u2,2,"q""z",4.0

        """)
    #expect(parseCSV(text)[2] == ["doe, jane", "2", "x,y", "3.0"])
    #expect(parseCSV(text)[4] == ["u2", "2", "q\"z", "4.0"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["recs.csv"])
  }

  @Test func exportTopOneAgreesWithRecommendForARealModel() throws {
    // 7 users with 2...8 items each over 20 items whose raw ids are not their indices.
    let users: [String] = (0..<7).map { "user \($0)" }
    let items: [String] = [Dataset.paddingID] + (1...20).map { (i: Int) -> String in "sku-\(100 + i)" }
    let sequences: [[Int32]] = (0..<7).map { (u: Int) -> [Int32] in
      (0..<(u + 2)).map { (p: Int) -> Int32 in Int32((u * 3 + p * 7) % 20 + 1) }
    }
    let data = Dataset(name: "walks", userIDs: users, itemIDs: items, sequences: sequences)
    let catalog = ItemCatalog(name: "t", itemCount: data.itemCount)
    let id = try Embedding.node(ItemIDs.node(catalog), dim: 8)
    let model = try Recommender(user: try GRU.node(SequenceLift.node(id), hidden: 8), item: id)
    model.initialize(seed: 3)
    let maxlen = 5
    let scorer: Scorer = { users, inputs in try model.scores(inputs: inputs, batch: users.count, maxlen: maxlen) }
    let path = try exportDirectory().appendingPathComponent("recs.csv").path
    let k = 3
    let written = try exportRecommendations(data: data, to: path, k: k, maxlen: maxlen, batchSize: 3, score: scorer)
    #expect(written == data.userCount * k)
    let rows = parseCSV(try String(contentsOfFile: path, encoding: .utf8))
    #expect(rows[0] == ["user", "rank", "item", "score"])
    #expect(rows.count == 1 + data.userCount * k)
    for (index, user) in data.userIDs.enumerated() {
      let mine = rows.dropFirst().filter { $0[0] == user }
      #expect(mine.map { $0[1] } == ["1", "2", "3"])
      let single = try recommend(user: user, data: data, k: 1, maxlen: maxlen, score: scorer)
      #expect(mine.first?[2] == single[0].item)
      // A batch of 3 users and a single user are different matrix products, which OpenBLAS may
      // round differently in the last place.
      let exported = try #require(mine.first.flatMap { Float($0[3]) })
      #expect(abs(exported - single[0].score) <= 1e-6 * max(1, abs(single[0].score)))
      let history = Set(data.sequences[index].map { data.itemIDs[Int($0)] })
      #expect(mine.allSatisfy { !history.contains($0[2]) && $0[2] != Dataset.paddingID })
    }
  }
}
