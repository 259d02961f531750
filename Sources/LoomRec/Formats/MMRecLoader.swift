import Foundation

/// MMRec's layout: `DIR/NAME.inter`, tab-separated with a plain header
/// (`userID  itemID  rating  timestamp  x_label`), where `x_label` is 0, 1 or 2 for a training,
/// validation or test interaction, and item features `image_feat.npy` and `text_feat.npy` whose
/// row i belongs to item id i (ids are 0-based integers).
struct MMRecFolder {
  var directory: String
  var name: String
  var header: [String]

  static let userField = "userID"
  static let itemField = "itemID"
  static let timeField = "timestamp"
  static let labelField = "x_label"
  /// The feature files MMRec ships beside the .inter file, and the tables they become.
  static let featureFiles = [("visual", "image_feat.npy"), ("text", "text_feat.npy")]

  /// The folder's layout when its NAME.inter has an `x_label` column; nil otherwise.
  static func find(_ directory: String, name: String) -> MMRecFolder? {
    guard let handle = FileHandle(forReadingAtPath: "\(directory)/\(name).inter") else { return nil }
    defer { try? handle.close() }
    let head = (try? handle.read(upToCount: 4096)) ?? Data()
    guard let text = String(data: head, encoding: .utf8), let first = text.split(separator: "\n").first else { return nil }
    let header = first.split(separator: "\t", omittingEmptySubsequences: false).map {
      String($0.split(separator: ":").first ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
    return header.contains(labelField) ? MMRecFolder(directory: directory, name: name, header: header) : nil
  }
}

extension Dataset {
  /// Reads MMRec's layout with its split as given: each user's interactions ordered by time
  /// (ties keep file order) must run training, then validation, then test; every validation
  /// and test interaction is one next-item case whose history is everything before it (the
  /// protocol of MFN4Rec §4.1's chronological split, with MMRec's labels as the boundaries).
  /// The catalogue is item ids 0...max; feature rows follow the ids.
  static func loadMMRec(
    _ folder: MMRecFolder, features requested: [(name: String, source: FeatureSource)], options: LoadOptions
  ) throws -> Dataset {
    let file = "\(folder.name).inter"
    guard let data = FileManager.default.contents(atPath: "\(folder.directory)/\(file)"),
      let text = String(data: data, encoding: .utf8)
    else { throw DataError(.missingFile, file: file, "cannot read '\(folder.directory)/\(file)' as UTF-8 text") }
    func column(_ field: String) throws -> Int {
      guard let index = folder.header.firstIndex(of: field) else {
        throw DataError(
          .unknownField, file: file, line: 1,
          "no field '\(field)'; this file has: \(folder.header.joined(separator: ", "))",
          help: "MMRec's .inter files have userID, itemID, timestamp and x_label")
      }
      return index
    }
    let (userColumn, itemColumn, labelColumn) = (
      try column(MMRecFolder.userField), try column(MMRecFolder.itemField),
      try column(MMRecFolder.labelField)
    )
    let timeColumn = folder.header.firstIndex(of: MMRecFolder.timeField)

    struct Interaction {
      var user: String
      var item: Int
      var time: Double
      var label: Int
      var line: Int
    }
    var interactions: [Interaction] = []
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().dropFirst() {
      let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
      if trimmed.isEmpty { continue }
      let fields = trimmed.split(separator: "\t", omittingEmptySubsequences: false)
      guard fields.count == folder.header.count else {
        throw DataError(
          .wrongColumnCount, file: file, line: number + 1,
          "expected \(folder.header.count) tab-separated fields, found \(fields.count)")
      }
      guard let item = Int(fields[itemColumn]), item >= 0 else {
        throw DataError(
          .notANumber, file: file, line: number + 1, column: itemColumn + 1,
          "itemID '\(fields[itemColumn])' is not a non-negative integer",
          help: "MMRec's item ids are the rows of its feature files")
      }
      guard let label = Int(fields[labelColumn]), (0...2).contains(label) else {
        throw DataError(
          .notANumber, file: file, line: number + 1, column: labelColumn + 1,
          "x_label '\(fields[labelColumn])' is not 0, 1 or 2", help: "0 training, 1 validation, 2 test")
      }
      var time = Double(interactions.count)
      if let timeColumn {
        guard let value = Double(fields[timeColumn]), value.isFinite else {
          throw DataError(
            .notANumber, file: file, line: number + 1, column: timeColumn + 1,
            "timestamp '\(fields[timeColumn])' is not a number")
        }
        time = value
      }
      interactions.append(Interaction(user: String(fields[userColumn]), item: item, time: time, label: label, line: number + 1))
    }
    guard let maxItem = interactions.map(\.item).max() else {
      throw DataError(.emptyDataset, file: file, "no interactions", help: "the file has a header but no rows")
    }

    var userIDs: [String] = []
    var userIndex: [String: Int] = [:]
    var perUser: [[Int]] = []
    for (index, interaction) in interactions.enumerated() {
      let user = userIndex[interaction.user] ?? userIDs.count
      if user == userIDs.count {
        userIndex[interaction.user] = user
        userIDs.append(interaction.user)
        perUser.append([])
      }
      perUser[user].append(index)
    }
    let itemIDs = [Dataset.paddingID] + (0...maxItem).map(String.init)
    var sequences: [[Int32]] = []
    var split = GivenSplit(source: "\(file) x_label", trainEnd: [], validEnd: [], valid: [], test: [])
    for (user, indices) in perUser.enumerated() {
      let ordered = indices.enumerated().sorted {
        (interactions[$0.element].time, $0.offset) < (interactions[$1.element].time, $1.offset)
      }.map { interactions[$0.element] }
      for (earlier, later) in zip(ordered, ordered.dropFirst()) where later.label < earlier.label {
        throw DataError(
          .idMismatch, file: file, line: later.line,
          "user '\(userIDs[user])' has a label-\(later.label) interaction after a label-\(earlier.label) one (line \(earlier.line))",
          help: "in time order, a user's training interactions (0) come before validation (1) and test (2)")
      }
      let sequence = ordered.map { Int32($0.item + 1) }
      let trainEnd = ordered.filter { $0.label == 0 }.count
      let validEnd = trainEnd + ordered.filter { $0.label == 1 }.count
      split.trainEnd.append(trainEnd)
      split.validEnd.append(validEnd)
      for t in trainEnd..<sequence.count where t > 0 {
        let heldOut = EvaluationCase(user: user, history: sequence[0..<t], targets: sequence[t..<(t + 1)])
        if t < validEnd { split.valid.append(heldOut) } else { split.test.append(heldOut) }
      }
      sequences.append(sequence)
    }

    var sources = requested
    var notes: [String] = []
    if sources.isEmpty {
      for (name, fileName) in MMRecFolder.featureFiles
      where FileManager.default.fileExists(atPath: "\(folder.directory)/\(fileName)") {
        sources.append((name: name, source: .npy(path: fileName, ids: nil)))
        notes.append("\(name) features from \(fileName)")
      }
    }
    let order = ItemOrder(ids: Array(itemIDs.dropFirst()), file: "\(file)'s item ids 0...\(maxItem)")
    let rawFeatures = try sources.map { request in
      (
        name: request.name,
        features: try FeatureReader.read(
          request.source, feature: request.name, directory: folder.directory, name: folder.name, itemTable: nil,
          order: order, options: options, known: Set(order.ids), knownFrom: file)
      )
    }
    notes += rawFeatures.flatMap(\.features.notes)
    var dataset = Dataset(
      name: folder.name, userIDs: userIDs, itemIDs: itemIDs, sequences: sequences,
      features: try FeatureReader.matrices(rawFeatures, itemIDs: itemIDs), notes: notes)
    dataset.givenSplit = split
    return dataset
  }
}
