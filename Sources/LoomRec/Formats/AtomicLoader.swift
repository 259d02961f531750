import Foundation

extension Dataset {
  /// Loads a data set in RecBole's atomic-file layout: DIR/NAME.inter (required), NAME.item,
  /// NAME.user, NAME.kg, NAME.link, where NAME is the directory's last component (or the stem
  /// of its only .inter file).
  ///
  /// Steps, in order: read and check every file; collect the requested modalities by raw item
  /// id; drop or zero-fill items missing one (`options.missing`); k-core filtering until stable;
  /// number users and items by first appearance in the .inter file; sort each user's items by
  /// time (ties keep file order); build features, vocabulary and titles.
  /// Either a complete data set is returned or a `DataError` naming file, line and column.
  ///
  /// - Parameters:
  ///   - text: .item columns (token or token_seq) whose words form the text modality.
  ///   - features: named dense item feature tables and their sources, stored as
  ///     `features[name]`; `visual:` is the shorthand for one table named "visual".
  ///
  /// A folder in the pre-split benchmark layout (`NAME.train.inter`, ...) or MMRec's layout (an
  /// .inter file with an `x_label` column) is read by its own loader, with its split as given.
  public static func load(
    directory: String, text: [String] = [], visual: FeatureSource? = nil,
    features: [(name: String, source: FeatureSource)] = [], options: LoadOptions = LoadOptions()
  ) throws -> Dataset {
    let directory = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
    var requested = features
    if let visual {
      guard !features.contains(where: { $0.name == "visual" }) else {
        throw DataError(
          .badOption, file: directory, "the visual table is given twice (visual: and features: {visual: ...})",
          help: "give it once")
      }
      requested.insert((name: "visual", source: visual), at: 0)
    }
    if let duplicate = Dictionary(grouping: requested.map(\.name), by: { $0 }).first(where: { $0.value.count > 1 })?.key {
      throw DataError(.badOption, file: directory, "feature table '\(duplicate)' is given twice", help: "give each name once")
    }
    if let presplit = try PresplitFolder.find(directory) {
      return try loadPresplit(presplit, text: text, features: requested, options: options)
    }
    let name = try datasetName(directory)
    if let mmrec = MMRecFolder.find(directory, name: name) {
      guard text.isEmpty else {
        throw DataError(
          .badOption, file: "\(name).inter", "MMRec's layout has no text columns to read words from",
          help: "its text comes as text_feat.npy, loaded as the \"text\" feature table")
      }
      return try loadMMRec(mmrec, features: requested, options: options)
    }
    let inter = try AtomicTable.read(path: "\(directory)/\(name).inter")
    let rawUsers = inter.strings(try inter.fieldIndex(options.userField, purpose: "user of each interaction"))
    let rawItems = inter.strings(try inter.fieldIndex(options.itemField, purpose: "item of each interaction"))
    var times: [Double]? = nil
    var notes: [String] = []
    if let timeIndex = inter.fields.firstIndex(where: { $0.name == options.timeField }) {
      guard case .float(let values) = inter.columns[timeIndex] else {
        throw DataError(
          .badOption, file: inter.file, line: 1,
          "\(options.timeField) is \(inter.fields[timeIndex].type.rawValue), expected float",
          help: "declare it as \(options.timeField):float")
      }
      times = values
    } else {
      notes.append("no \(options.timeField) field in \(inter.file): sequences keep file order")
    }

    let itemPath = "\(directory)/\(name).item"
    let itemTable = FileManager.default.fileExists(atPath: itemPath) ? try AtomicTable.read(path: itemPath) : nil
    if FileManager.default.fileExists(atPath: "\(directory)/\(name).user") {
      let users = try AtomicTable.read(path: "\(directory)/\(name).user")
      _ = try users.fieldIndex(options.userField, purpose: "user ids")
    }

    // Item rows of .item by raw id.
    var itemRow: [String: Int] = [:]
    if let table = itemTable {
      let ids = table.strings(try table.fieldIndex(options.itemField, purpose: "item ids"))
      for (row, id) in ids.enumerated() {
        if let first = itemRow[id] {
          throw DataError(
            .idMismatch, file: table.file, line: table.lines[row],
            "item '\(id)' is listed twice (first on line \(table.lines[first]))")
        }
        itemRow[id] = row
      }
    }

    // Text modality: words per raw item id.
    var textColumns: [[String]] = []
    if !text.isEmpty {
      guard let table = itemTable else {
        throw DataError(
          .missingFile, file: "\(name).item", "text columns need the .item file",
          help: "put \(name).item into \(directory) or load without text")
      }
      for field in text {
        let index = try table.fieldIndex(field, purpose: "text")
        if case .float = table.columns[index] {
          throw DataError(.badOption, file: table.file, line: 1, "text column '\(field)' is a float column")
        }
        if case .floatSeq = table.columns[index] {
          throw DataError(.badOption, file: table.file, line: 1, "text column '\(field)' is a float_seq column")
        }
        textColumns.append(table.strings(index))
      }
    }
    func words(_ item: String) -> [String] {
      guard let row = itemRow[item] else { return [] }
      return textColumns.flatMap { TextVocabulary.tokens($0[row]) }
    }

    let known = Set(rawItems)
    let rawFeatures = try requested.map { request in
      (
        name: request.name,
        features: try FeatureReader.read(
          request.source, feature: request.name, directory: directory, name: name, itemTable: itemTable, order: nil,
          options: options, known: known, knownFrom: "\(name).inter",
          itemTexts: { text.isEmpty ? nil : itemRow.mapValues { row in textColumns.map { $0[row] }.joined(separator: " ") } })
      )
    }
    notes += rawFeatures.flatMap(\.features.notes)

    // Missing modalities, decided per distinct raw item.
    var missingText = Set<String>()
    var missingFeature = [Set<String>](repeating: [], count: rawFeatures.count)
    for item in known {
      if !text.isEmpty && words(item).isEmpty { missingText.insert(item) }
      for (k, raw) in rawFeatures.enumerated() where !raw.features.has(item) { missingFeature[k].insert(item) }
    }
    let missingAny = missingFeature.reduce(missingText) { $0.union($1) }
    if !missingAny.isEmpty {
      let parts = ([("text", missingText.count)] + zip(rawFeatures, missingFeature).map { ($0.name, $1.count) })
        .filter { $0.1 > 0 }.map { "\($0.1) without \($0.0)" }.joined(separator: ", ")
      notes.append(
        options.missing == .drop
          ? "dropped \(missingAny.count) items (\(parts))"
          : "zero-filled \(missingAny.count) items (\(parts))")
    }

    // Dense temporary indices for filtering.
    var userIndex: [String: Int] = [:]
    var itemIndex: [String: Int] = [:]
    var users: [Int] = []
    var items: [Int] = []
    var keep: [Bool] = []
    users.reserveCapacity(rawUsers.count)
    items.reserveCapacity(rawUsers.count)
    for (user, item) in zip(rawUsers, rawItems) {
      let u = userIndex[user] ?? userIndex.count
      userIndex[user] = u
      let i = itemIndex[item] ?? itemIndex.count
      itemIndex[item] = i
      users.append(u)
      items.append(i)
      keep.append(options.missing == .zero || !missingAny.contains(item))
    }
    let candidates = users.indices.filter { keep[$0] }
    let core = CoreFilter.filter(
      users: candidates.map { users[$0] }, items: candidates.map { items[$0] },
      userCount: userIndex.count, itemCount: itemIndex.count,
      minUser: options.minUserInteractions, minItem: options.minItemInteractions)
    let kept = zip(candidates, core.keep).filter { $0.1 }.map { $0.0 }
    if core.rounds > 0 {
      notes.append(
        "\(options.minUserInteractions)/\(options.minItemInteractions)-core filtering removed \(candidates.count - kept.count) interactions in \(core.rounds) passes"
      )
    }
    guard !kept.isEmpty else {
      throw DataError(
        .emptyDataset, file: inter.file,
        "no interactions are left after removing items without a modality and k-core filtering",
        help: "lower minUserInteractions/minItemInteractions or use missing: .zero")
    }

    // Final ids by first appearance; sequences sorted by time, stable.
    var finalUser: [String: Int32] = [:]
    var finalItem: [String: Int32] = [:]
    var userIDs: [String] = []
    var itemIDs: [String] = [Dataset.paddingID]
    // Each user's interactions: the row in the file and the final item id.
    var perUser: [[(row: Int, item: Int32)]] = []
    for index in kept {
      let user = rawUsers[index]
      let item = rawItems[index]
      let i: Int32
      if let existing = finalItem[item] {
        i = existing
      } else {
        i = Int32(itemIDs.count)
        finalItem[item] = i
        itemIDs.append(item)
      }
      let u: Int32
      if let existing = finalUser[user] {
        u = existing
      } else {
        u = Int32(userIDs.count)
        finalUser[user] = u
        userIDs.append(user)
        perUser.append([])
      }
      perUser[Int(u)].append((index, i))
    }
    let sequences: [[Int32]] = perUser.map { interactions in
      let ordered =
        times.map { t in
          interactions.enumerated().sorted { a, b in
            t[a.element.row] != t[b.element.row] ? t[a.element.row] < t[b.element.row] : a.offset < b.offset
          }.map(\.element)
        } ?? interactions
      return ordered.map(\.item)
    }

    let featureTables = try FeatureReader.matrices(rawFeatures, itemIDs: itemIDs)
    let itemText =
      text.isEmpty
      ? nil
      : TextVocabulary.build(
        itemWords: itemIDs.enumerated().map { $0.offset == 0 ? [] : words($0.element) },
        minCount: options.minWordCount, maxWords: options.maxWords)
    let titles = try titleColumn(itemTable, name: name, options: options).map { column in
      itemIDs.enumerated().map { $0.offset == 0 ? "" : itemRow[$0.element].map { column[$0] } ?? $0.element }
    }
    return Dataset(
      name: name, userIDs: userIDs, itemIDs: itemIDs, sequences: sequences, features: featureTables,
      text: itemText, titles: titles, notes: notes)
  }

  /// NAME for DIR/NAME.inter: the directory's name, or the stem of its only .inter file.
  private static func datasetName(_ directory: String) throws -> String {
    let base = (directory as NSString).lastPathComponent
    if FileManager.default.fileExists(atPath: "\(directory)/\(base).inter") { return base }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw DataError(
        .missingFile, file: directory, "no such directory",
        help: "give the folder holding NAME.inter (RecBole atomic files)")
    }
    let inters = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
      .filter { $0.hasSuffix(".inter") }.sorted()
    guard inters.count == 1 else {
      throw DataError(
        .missingFile, file: "\(directory)/\(base).inter",
        inters.isEmpty ? "no .inter file in \(directory)" : "several .inter files: \(inters.joined(separator: ", "))",
        help: "name the interaction file after its folder, e.g. ml-100k/ml-100k.inter")
    }
    return String(inters[0].dropLast(".inter".count))
  }

  private static func titleColumn(_ table: AtomicTable?, name: String, options: LoadOptions) throws
    -> [String]?
  {
    guard let table else {
      if let field = options.titleField {
        throw DataError(.missingFile, file: "\(name).item", "titles from '\(field)' need the .item file")
      }
      return nil
    }
    if let field = options.titleField { return table.strings(try table.fieldIndex(field, purpose: "titles")) }
    let index = table.fields.firstIndex {
      $0.name.lowercased().contains("title") && ($0.type == .token || $0.type == .tokenSeq)
    }
    return index.map { table.strings($0) }
  }
}
