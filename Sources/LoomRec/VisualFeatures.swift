import Foundation

/// Dense features keyed by raw item id, before internal ids exist.
struct RawVisualFeatures {
  var dimension: Int
  /// Raw item id -> vector; absent ids lack the modality.
  var vectors: [String: [Float]]
  /// For "kg": neighbours per raw item id, turned into vectors once the item set is final.
  var graph: (neighbours: [String: [String]], rank: Int)?
  var notes: [String] = []

  func has(_ item: String) -> Bool {
    if let graph { return !(graph.neighbours[item]?.isEmpty ?? true) }
    return vectors[item] != nil
  }
}

enum VisualFeatureReader {
  /// Reads the source into raw-id keyed vectors. `itemTable` is the .item file when present;
  /// `known` holds the raw item ids of the .inter file, to report rows that match no item.
  static func read(
    _ source: VisualSource, directory: String, name: String, itemTable: AtomicTable?,
    options: LoadOptions, known: Set<String>
  ) throws -> RawVisualFeatures {
    switch source {
    case .column(let field):
      guard let table = itemTable else {
        throw DataError(.missingFile, file: "\(name).item",
          "visual column '\(field)' needs the .item file", help: "put \(name).item in \(directory)")
      }
      let index = try table.fieldIndex(field, purpose: "visual features")
      guard case .floatSeq(let rows) = table.columns[index] else {
        throw DataError(.badOption, file: table.file, line: 1,
          "visual column '\(field)' is \(table.fields[index].type.rawValue), not float_seq",
          help: "declare it as \(field):float_seq with space-separated numbers")
      }
      let ids = table.strings(try table.fieldIndex(options.itemField, purpose: "item ids"))
      var vectors: [String: [Float]] = [:]
      var dimension = 0
      for (row, vector) in rows.enumerated() where !vector.isEmpty {
        if dimension == 0 { dimension = vector.count }
        guard vector.count == dimension else {
          throw DataError(.wrongColumnCount, file: table.file, line: table.lines[row],
            "\(field) has \(vector.count) values here but \(dimension) on earlier lines",
            help: "every feature vector must have the same length")
        }
        vectors[ids[row]] = vector
      }
      return RawVisualFeatures(dimension: dimension, vectors: vectors)

    case .npy(let path, let explicitIDs):
      let npyPath = resolve(path, in: directory)
      let matrix = try NumPyFile.read(path: npyPath)
      let file = (npyPath as NSString).lastPathComponent
      let ids: [String]
      let idFile: String
      if let idPath = explicitIDs.map({ resolve($0, in: directory) }) ?? besideIDFile(npyPath) {
        idFile = (idPath as NSString).lastPathComponent
        ids = try readIDList(idPath)
      } else if let table = itemTable {
        idFile = table.file
        ids = table.strings(try table.fieldIndex(options.itemField, purpose: "item ids"))
      } else {
        throw DataError(.missingFile, file: file,
          "no id list beside \(file) and no \(name).item to give its row order",
          help: "write one raw item id per line into \((file as NSString).deletingPathExtension).ids")
      }
      guard ids.count == matrix.rows else {
        throw DataError(.npyRowCount, file: file,
          "\(file) has \(matrix.rows) rows but \(idFile) lists \(ids.count) items",
          help: "the rows must line up one to one with the ids; nothing is shifted to fit")
      }
      var vectors: [String: [Float]] = [:]
      var unknown = 0
      for (row, id) in ids.enumerated() {
        if vectors[id] != nil {
          throw DataError(.idMismatch, file: idFile, line: row + 1,
            "item '\(id)' appears twice", help: "each item has one feature row")
        }
        vectors[id] = Array(matrix.values[(row * matrix.cols)..<((row + 1) * matrix.cols)])
        if !known.contains(id) { unknown += 1 }
      }
      var result = RawVisualFeatures(dimension: matrix.cols, vectors: vectors)
      if unknown > 0 {
        result.notes.append("\(unknown) rows of \(file) match no item of \(name).inter and were ignored")
      }
      return result

    case .knowledgeGraph(let rank):
      guard rank > 0 else {
        throw DataError(.badOption, file: "\(name).kg", "kg rank must be positive, got \(rank)")
      }
      let link = try AtomicTable.read(path: "\(directory)/\(name).link")
      let kg = try AtomicTable.read(path: "\(directory)/\(name).kg")
      let neighbours = try KnowledgeGraphFeatures.neighbours(
        link: link, kg: kg, itemField: options.itemField)
      return RawVisualFeatures(dimension: rank, vectors: [:], graph: (neighbours, rank))
    }
  }

  private static func resolve(_ path: String, in directory: String) -> String {
    if path.hasPrefix("/") || FileManager.default.fileExists(atPath: path) { return path }
    return "\(directory)/\(path)"
  }

  /// `x.npy` -> `x.ids` or `x.txt` when one exists.
  private static func besideIDFile(_ npyPath: String) -> String? {
    let stem = (npyPath as NSString).deletingPathExtension
    return ["ids", "txt"].map { "\(stem).\($0)" }.first { FileManager.default.fileExists(atPath: $0) }
  }

  private static func readIDList(_ path: String) throws -> [String] {
    let file = (path as NSString).lastPathComponent
    guard let data = FileManager.default.contents(atPath: path),
      let text = String(data: data, encoding: .utf8)
    else { throw DataError(.missingFile, file: file, "cannot read '\(path)'") }
    var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map {
      $0.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    while lines.last?.isEmpty == true { lines.removeLast() }
    var ids: [String] = []
    for (number, id) in lines.enumerated() {
      if id.isEmpty {
        throw DataError(.idMismatch, file: file, line: number + 1,
          "line \(number + 1) has no item id", help: "each line names the item of one feature row")
      }
      if id.contains("\t") || id.contains(" ") {
        throw DataError(.wrongColumnCount, file: file, line: number + 1,
          "expected one item id per line, found '\(id)'")
      }
      ids.append(id)
    }
    return ids
  }
}
