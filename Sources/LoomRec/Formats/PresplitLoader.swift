import Foundation

/// A folder in the pre-split benchmark layout: RecBole's `benchmark_filename` and UniSRec's
/// "downstream" format (also MISSRec's and RecFormer's):
///
/// - `NAME.train.inter`, `NAME.valid.inter`, `NAME.test.inter` with the header
///   `user_id:token  item_id_list:token_seq  item_id:token`: per row a user, the history (oldest
///   first) and the target;
/// - optional `NAME.item2index`, `NAME.user2index` (`raw_id<TAB>index`, dense 0-based indices
///   that the .inter files use); without them the .inter files' tokens are the ids;
/// - optional `NAME.text` (`item_id:token  text:token_seq`, raw item ids).
struct PresplitFolder {
  var directory: String
  var name: String

  func path(_ suffix: String) -> String { "\(directory)/\(name).\(suffix)" }
  func exists(_ suffix: String) -> Bool { FileManager.default.fileExists(atPath: path(suffix)) }

  static let parts = ["train", "valid", "test"]

  /// The layout's NAME when `directory` holds `NAME.{train,valid,test}.inter`; nil for a folder
  /// of another layout; an error when the split is incomplete or ambiguous.
  static func find(_ directory: String) throws -> PresplitFolder? {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    var names: [String: Set<String>] = [:]
    for file in files {
      for part in parts where file.hasSuffix(".\(part).inter") {
        names[String(file.dropLast(".\(part).inter".count)), default: []].insert(part)
      }
    }
    guard !names.isEmpty else { return nil }
    guard names.count == 1, let (name, present) = names.first else {
      throw DataError(
        .missingFile, file: directory,
        "several pre-split data sets in one folder: \(names.keys.sorted().joined(separator: ", "))",
        help: "keep one NAME.{train,valid,test}.inter per folder")
    }
    if let absent = parts.first(where: { !present.contains($0) }) {
      throw DataError(
        .missingFile, file: "\(directory)/\(name).\(absent).inter",
        "the pre-split data set '\(name)' has no \(absent) file",
        help: "a pre-split folder needs \(name).train.inter, \(name).valid.inter and \(name).test.inter")
    }
    return PresplitFolder(directory: directory, name: name)
  }
}

/// One row of a pre-split .inter file, with internal ids.
private struct PresplitRow {
  var user: Int
  var history: [Int32]
  var target: Int32
  var line: Int
}

extension Dataset {
  /// Reads a pre-split folder exactly as given: no re-splitting, no filtering, the catalogue of
  /// item2index (every listed item, interacted with or not) and the users of user2index.
  ///
  /// User u's sequence is its training sequence (chained from its training rows: each row's
  /// history is the end of the sequence so far, its target the next item), then its validation
  /// target, then its test target; `givenSplit` keeps the validation and test rows with their
  /// own histories. Rows that contradict each other are an error naming the line.
  static func loadPresplit(
    _ folder: PresplitFolder, text: [String], features: [(name: String, source: FeatureSource)],
    options: LoadOptions
  ) throws -> Dataset {
    let itemIndex = try folder.exists("item2index") ? readIndex(folder.path("item2index")) : nil
    let userIndex = try folder.exists("user2index") ? readIndex(folder.path("user2index")) : nil
    var itemIDs = [Dataset.paddingID] + (itemIndex?.ids ?? [])
    var itemByToken: [String: Int32] = [:]
    if let itemIndex {
      for (index, _) in itemIndex.ids.enumerated() { itemByToken[String(index)] = Int32(index + 1) }
    }
    var userIDs = userIndex?.ids ?? []
    var userByToken: [String: Int] = [:]
    if let userIndex {
      for (index, _) in userIndex.ids.enumerated() { userByToken[String(index)] = index }
    }

    // Read in order train, valid, test: without item2index, ids are numbered as they appear.
    func readRows(_ part: String) throws -> [PresplitRow] {
      let table = try AtomicTable.read(path: folder.path("\(part).inter"))
      let users = table.strings(try table.fieldIndex(options.userField, purpose: "user of each row"))
      let histories = table.strings(try table.fieldIndex("\(options.itemField)_list", purpose: "history of each row"))
      let targets = table.strings(try table.fieldIndex(options.itemField, purpose: "target of each row"))
      func item(_ token: String, line: Int) throws -> Int32 {
        if let id = itemByToken[token] { return id }
        guard itemIndex == nil else {
          throw DataError(
            .idMismatch, file: table.file, line: line,
            "item '\(token)' is not an index of \(folder.name).item2index (0..<\(itemIDs.count - 1))",
            help: "the .inter files must use the indices that \(folder.name).item2index lists")
        }
        let id = Int32(itemIDs.count)
        itemIDs.append(token)
        itemByToken[token] = id
        return id
      }
      var rows: [PresplitRow] = []
      rows.reserveCapacity(table.rowCount)
      for row in 0..<table.rowCount {
        let line = table.lines[row]
        let user: Int
        if let known = userByToken[users[row]] {
          user = known
        } else if userIndex != nil {
          throw DataError(
            .idMismatch, file: table.file, line: line,
            "user '\(users[row])' is not an index of \(folder.name).user2index (0..<\(userIDs.count))",
            help: "the .inter files must use the indices that \(folder.name).user2index lists")
        } else {
          user = userIDs.count
          userByToken[users[row]] = user
          userIDs.append(users[row])
        }
        let history = try histories[row].split(separator: " ").map { try item(String($0), line: line) }
        rows.append(PresplitRow(user: user, history: history, target: try item(targets[row], line: line), line: line))
      }
      return rows
    }
    let trainRows = try readRows("train")
    let validRows = try readRows("valid")
    let testRows = try readRows("test")
    guard itemIDs.count > 1, !testRows.isEmpty else {
      throw DataError(
        .emptyDataset, file: folder.path("test.inter"), "the test file has no rows",
        help: "a pre-split data set needs one test row per user")
    }
    let maxHistory = (trainRows + validRows + testRows).map(\.history.count).max() ?? 0

    func onePerUser(_ rows: [PresplitRow], part: String) throws -> [Int: PresplitRow] {
      var result: [Int: PresplitRow] = [:]
      for row in rows {
        if let first = result[row.user] {
          throw DataError(
            .idMismatch, file: "\(folder.name).\(part).inter", line: row.line,
            "user '\(userIDs[row.user])' has a second \(part) row (first on line \(first.line))",
            help: "leave-one-out files hold one \(part) row per user")
        }
        result[row.user] = row
      }
      return result
    }
    let valid = try onePerUser(validRows, part: "valid")
    let test = try onePerUser(testRows, part: "test")
    var training = [[PresplitRow]](repeating: [], count: userIDs.count)
    for row in trainRows { training[row.user].append(row) }

    var sequences: [[Int32]] = []
    var split = GivenSplit(
      source: "\(folder.name).{train,valid,test}.inter", trainEnd: [], validEnd: [], valid: [], test: [])
    var truncated = 0
    for user in userIDs.indices {
      let sequence = try Self.chain(
        training[user], valid: valid[user], test: test[user], maxHistory: maxHistory, name: folder.name,
        user: userIDs[user])
      split.trainEnd.append(sequence.trainEnd)
      split.validEnd.append(sequence.trainEnd + (valid[user] == nil ? 0 : 1))
      if let row = valid[user] {
        split.valid.append(EvaluationCase(user: user, history: ArraySlice(row.history), targets: [row.target]))
      }
      if let row = test[user] {
        split.test.append(EvaluationCase(user: user, history: ArraySlice(row.history), targets: [row.target]))
        if row.history.count < split.validEnd[user] { truncated += 1 }
      }
      sequences.append(sequence.items)
    }

    var notes: [String] = []
    if truncated > 0 {
      notes.append(
        "\(truncated) users' validation/test histories are cut to the last \(maxHistory) items in the files; their training rows give the earlier items, counted here; evaluation uses the histories as given"
      )
    }
    let withoutRows = sequences.filter(\.isEmpty).count
    if withoutRows > 0 { notes.append("\(withoutRows) users of \(folder.name).user2index have no rows") }

    // Modalities, by raw item id; a pre-split catalogue is never filtered, so an item without a
    // modality is zero-filled, and only when asked to be.
    let catalogue = Set(itemIDs.dropFirst())
    let textTable = folder.exists("text") ? try AtomicTable.read(path: folder.path("text")) : nil
    var itemText: [String: String] = [:]
    if let textTable {
      let ids = textTable.strings(try textTable.fieldIndex(options.itemField, purpose: "item ids"))
      let columns =
        text.isEmpty
        ? textTable.fields.indices.filter { textTable.fields[$0].name != options.itemField }
        : try text.map { try textTable.fieldIndex($0, purpose: "text") }
      let strings = columns.map { textTable.strings($0) }
      for (row, id) in ids.enumerated() {
        itemText[id] = strings.map { $0[row] }.joined(separator: " ")
      }
    } else if !text.isEmpty {
      throw DataError(
        .missingFile, file: folder.path("text"), "text columns need \(folder.name).text",
        help: "put \(folder.name).text (item_id:token<TAB>text:token_seq) into \(folder.directory) or load without text")
    }
    let order = itemIndex.map { ItemOrder(ids: $0.ids, file: "\(folder.name).item2index") }
    let rawFeatures = try features.map { request in
      (
        name: request.name,
        features: try FeatureReader.read(
          request.source, feature: request.name, directory: folder.directory, name: folder.name, itemTable: nil,
          order: order, options: options, known: catalogue,
          knownFrom: itemIndex == nil ? "\(folder.name)'s .inter files" : "\(folder.name).item2index",
          itemTexts: { textTable == nil ? nil : itemText })
      )
    }
    notes += rawFeatures.flatMap(\.features.notes)
    var missing: [(String, Int)] = []
    if textTable != nil { missing.append(("text", catalogue.filter { (itemText[$0] ?? "").isEmpty }.count)) }
    for raw in rawFeatures { missing.append((raw.name, catalogue.filter { !raw.features.has($0) }.count)) }
    missing = missing.filter { $0.1 > 0 }
    if !missing.isEmpty {
      let parts = missing.map { "\($0.1) without \($0.0)" }.joined(separator: ", ")
      guard options.missing == .zero else {
        throw DataError(
          .idMismatch, file: folder.directory,
          "items lack a modality (\(parts)), and a pre-split data set's items cannot be dropped without changing its split",
          help: "load with missing: \"zero\" to keep them with zero features and no words")
      }
      notes.append("zero-filled items (\(parts))")
    }

    var data = Dataset(
      name: folder.name, userIDs: userIDs, itemIDs: itemIDs, sequences: sequences,
      features: try FeatureReader.matrices(rawFeatures, itemIDs: itemIDs),
      text: textTable == nil
        ? nil
        : TextVocabulary.build(
          itemWords: itemIDs.enumerated().map { $0.offset == 0 ? [] : TextVocabulary.tokens(itemText[$0.element] ?? "") },
          minCount: options.minWordCount, maxWords: options.maxWords),
      titles: textTable == nil ? nil : itemIDs.enumerated().map { $0.offset == 0 ? "" : itemText[$0.element] ?? $0.element },
      notes: notes)
    data.givenSplit = split
    return data
  }

  /// A user's whole sequence from its rows: the training rows chained in order of position
  /// (each history is the end of the sequence so far, each target the next item), then the
  /// validation and test targets, each of whose histories must end the sequence before it.
  private static func chain(
    _ rows: [PresplitRow], valid: PresplitRow?, test: PresplitRow?, maxHistory: Int, name: String, user: String
  ) throws -> (items: [Int32], trainEnd: Int) {
    // Files list a user's training rows in either direction; shorter histories come first, and
    // among histories cut to the same length the file's order decides, the way it runs.
    let ascending = rows.count < 2 || rows[0].history.count <= rows[rows.count - 1].history.count
    let ordered = (ascending ? rows : rows.reversed()).enumerated()
      .sorted { ($0.element.history.count, $0.offset) < ($1.element.history.count, $1.offset) }.map(\.element)
    func fits(_ row: PresplitRow, _ items: [Int32]) -> Bool {
      let n = row.history.count
      return n <= items.count && (n == items.count || n == maxHistory) && Array(items.suffix(n)) == row.history
    }
    var items: [Int32] = []
    if let first = ordered.first {
      items = first.history
      items.append(first.target)
      for row in ordered.dropFirst() {
        guard fits(row, items) else {
          throw DataError(
            .idMismatch, file: "\(name).train.inter", line: row.line,
            "this training row of user '\(user)' does not continue the user's earlier training rows",
            help: "each training row's history must be the user's items before its target, oldest first")
        }
        items.append(row.target)
      }
    } else if let start = valid ?? test {
      items = start.history
    }
    let trainEnd = items.count
    for (row, part) in [(valid, "valid"), (test, "test")] {
      guard let row else { continue }
      guard fits(row, items) else {
        throw DataError(
          .idMismatch, file: "\(name).\(part).inter", line: row.line,
          "the \(part) history of user '\(user)' does not continue the user's earlier rows",
          help:
            "a \(part) row's history is the user's items before its target: the training sequence\(part == "test" ? " and the validation target" : "")"
        )
      }
      items.append(row.target)
    }
    return (items, trainEnd)
  }

  /// `raw_id<TAB>index` lines with dense indices 0..<n, in any order.
  private static func readIndex(_ path: String) throws -> (ids: [String], file: String) {
    let file = (path as NSString).lastPathComponent
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      throw DataError(.missingFile, file: file, "cannot read '\(path)' as UTF-8 text")
    }
    var byIndex: [Int: (id: String, line: Int)] = [:]
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
      if trimmed.isEmpty { continue }
      let fields = trimmed.split(separator: "\t")
      guard fields.count == 2, let index = Int(fields[1]), index >= 0 else {
        throw DataError(
          .wrongColumnCount, file: file, line: number + 1,
          "expected 'raw_id<TAB>index', found '\(trimmed)'", help: "one raw id and its 0-based index per line")
      }
      if let earlier = byIndex[index] {
        throw DataError(
          .idMismatch, file: file, line: number + 1,
          "index \(index) is given twice (first on line \(earlier.line))")
      }
      byIndex[index] = (String(fields[0]), number + 1)
    }
    let ids = try (0..<byIndex.count).map { index -> String in
      guard let entry = byIndex[index] else {
        throw DataError(
          .idMismatch, file: file,
          "indices are not dense: \(index) is missing among 0..<\(byIndex.count)",
          help: "indices run from 0 without gaps")
      }
      return entry.id
    }
    if let duplicate = Dictionary(grouping: byIndex.values, by: \.id).first(where: { $0.value.count > 1 }) {
      throw DataError(
        .idMismatch, file: file, line: duplicate.value.map(\.line).max(),
        "'\(duplicate.key)' is listed twice")
    }
    return (ids, file)
  }
}
