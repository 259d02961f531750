import Foundation
import LoomText

/// Dense features keyed by raw item id, before internal ids exist.
struct RawFeatures {
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

/// The data set's own item order for feature files that come without an id list: the .item
/// file's rows, or `NAME.item2index` in a pre-split folder (row i = item index i).
struct ItemOrder {
  var ids: [String]
  var file: String
}

enum FeatureReader {
  /// Reads feature table `feature` from `source` into raw-id keyed vectors. `itemTable` is the
  /// .item file when present; `order` the data set's own item order when it has one; `known`
  /// holds the raw item ids of the catalogue (named `knownFrom` in notes), to report rows that
  /// match no item; `itemTexts` gives each item's text by raw id, for a sentence encoder.
  static func read(
    _ source: FeatureSource, feature: String, directory: String, name: String, itemTable: AtomicTable?,
    order: ItemOrder?, options: LoadOptions, known: Set<String>, knownFrom: String,
    itemTexts: () throws -> [String: String]? = { nil }
  ) throws -> RawFeatures {
    switch source {
    case .sentenceEncoder(let model):
      guard let texts = try itemTexts() else {
        throw DataError(
          .badOption, file: name,
          "the \(feature) table is to be encoded from item text, but this data set has none",
          help: "name the .item columns to encode with text: [\"title\", ...], or use a folder with NAME.text")
      }
      return try encode(texts, known: known, model: model, feature: feature)
    case .column(let field):
      guard let table = itemTable else {
        throw DataError(
          .missingFile, file: "\(name).item",
          "\(feature) column '\(field)' needs the .item file", help: "put \(name).item in \(directory)")
      }
      let index = try table.fieldIndex(field, purpose: "\(feature) features")
      guard case .floatSeq(let rows) = table.columns[index] else {
        throw DataError(
          .badOption, file: table.file, line: 1,
          "\(feature) column '\(field)' is \(table.fields[index].type.rawValue), not float_seq",
          help: "declare it as \(field):float_seq with space-separated numbers")
      }
      let ids = table.strings(try table.fieldIndex(options.itemField, purpose: "item ids"))
      var vectors: [String: [Float]] = [:]
      var dimension = 0
      for (row, vector) in rows.enumerated() where !vector.isEmpty {
        if dimension == 0 { dimension = vector.count }
        guard vector.count == dimension else {
          throw DataError(
            .wrongColumnCount, file: table.file, line: table.lines[row],
            "\(field) has \(vector.count) values here but \(dimension) on earlier lines",
            help: "every feature vector must have the same length")
        }
        vectors[ids[row]] = vector
      }
      return RawFeatures(dimension: dimension, vectors: vectors)

    case .npy(let path, let explicitIDs):
      let npyPath = resolve(path, in: directory)
      let matrix = try NumPyFile.read(path: npyPath)
      let file = (npyPath as NSString).lastPathComponent
      let (ids, idFile) = try rowIDs(
        for: npyPath, explicit: explicitIDs, directory: directory, name: name, itemTable: itemTable, order: order,
        options: options)
      guard ids.count == matrix.rows else {
        throw DataError(
          .npyRowCount, file: file,
          "\(file) has \(matrix.rows) rows but \(idFile) lists \(ids.count) items",
          help: "the rows must line up one to one with the ids; nothing is shifted to fit")
      }
      return try byID(matrix.values, cols: matrix.cols, ids: ids, idFile: idFile, file: file, known: known, knownFrom: knownFrom)

    case .rawFloat32(let path, let explicitIDs):
      let rawPath = resolve(path, in: directory)
      let file = (rawPath as NSString).lastPathComponent
      guard let data = FileManager.default.contents(atPath: rawPath) else {
        throw DataError(
          .missingFile, file: rawPath, "no such feature file",
          help: "give a .npy file, a raw float32 file (e.g. NAME.feat1CLS), \"kg\" or a float_seq column of \(name).item")
      }
      let (ids, idFile) = try rowIDs(
        for: rawPath, raw: true, explicit: explicitIDs, directory: directory, name: name, itemTable: itemTable, order: order,
        options: options)
      guard !ids.isEmpty, data.count > 0, data.count % (4 * ids.count) == 0 else {
        throw DataError(
          .npyRowCount, file: file,
          "\(file) has \(data.count) bytes, which is not a whole number of float32 rows for the \(ids.count) items of \(idFile)",
          help:
            "a raw feature file holds items × width little-endian float32 values (\(ids.count) × width × 4 bytes); check that it belongs to this data set and is complete"
        )
      }
      let cols = data.count / 4 / ids.count
      var values = [Float](repeating: 0, count: data.count / 4)
      data.withUnsafeBytes { bytes in
        for i in values.indices {
          values[i] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
        }
      }
      if let bad = values.firstIndex(where: { !$0.isFinite }) {
        throw DataError(
          .nonFinite, file: file, line: bad / cols + 1, column: bad % cols + 1,
          "value \(values[bad]) is not finite (row \(bad / cols + 1), column \(bad % cols + 1))",
          help: "a float32 feature file must hold finite numbers; is it really raw float32?")
      }
      return try byID(values, cols: cols, ids: ids, idFile: idFile, file: file, known: known, knownFrom: knownFrom)

    case .knowledgeGraph(let rank):
      guard rank > 0 else {
        throw DataError(.badOption, file: "\(name).kg", "kg rank must be positive, got \(rank)")
      }
      let link = try AtomicTable.read(path: "\(directory)/\(name).link")
      let kg = try AtomicTable.read(path: "\(directory)/\(name).kg")
      let neighbours = try KnowledgeGraphFeatures.neighbours(
        link: link, kg: kg, itemField: options.itemField)
      return RawFeatures(dimension: rank, vectors: [:], graph: (neighbours, rank))
    }
  }

  /// Every known item with a non-empty text, encoded in one pass; the others lack the table.
  private static func encode(_ texts: [String: String], known: Set<String>, model: String, feature: String) throws
    -> RawFeatures
  {
    let encoder: SentenceEncoder
    do {
      encoder = try SentenceEncoder(modelDirectory: model)
    } catch let error as EncoderError {
      throw DataError(.badModel, file: error.file, error.message, help: error.help)
    }
    let ids = known.filter { !(texts[$0] ?? "").isEmpty }.sorted()
    let values = try encoder.encode(ids.map { texts[$0] ?? "" })
    let d = encoder.dimension
    var vectors: [String: [Float]] = [:]
    for (row, id) in ids.enumerated() { vectors[id] = Array(values[(row * d)..<((row + 1) * d)]) }
    var result = RawFeatures(dimension: d, vectors: vectors)
    result.notes.append("\(feature) table: \(ids.count) item texts encoded by \(model) (\(d)-d)")
    return result
  }

  /// The raw item id of each row of a feature file: an explicit id list, a list beside the file,
  /// or the data set's own item order.
  private static func rowIDs(
    for path: String, raw: Bool = false, explicit: String?, directory: String, name: String, itemTable: AtomicTable?,
    order: ItemOrder?, options: LoadOptions
  ) throws -> (ids: [String], file: String) {
    if let idPath = explicit.map({ resolve($0, in: directory) }) ?? besideIDFile(path, raw: raw) {
      return (try readIDList(idPath), (idPath as NSString).lastPathComponent)
    }
    if let order { return (order.ids, order.file) }
    if let table = itemTable {
      return (table.strings(try table.fieldIndex(options.itemField, purpose: "item ids")), table.file)
    }
    let file = (path as NSString).lastPathComponent
    throw DataError(
      .missingFile, file: file,
      "no id list beside \(file) and no \(name).item to give its row order",
      help: "write one raw item id per line into \((file as NSString).deletingPathExtension).ids")
  }

  private static func byID(
    _ values: [Float], cols: Int, ids: [String], idFile: String, file: String, known: Set<String>, knownFrom: String
  ) throws -> RawFeatures {
    var vectors: [String: [Float]] = [:]
    var unknown = 0
    for (row, id) in ids.enumerated() {
      if vectors[id] != nil {
        throw DataError(
          .idMismatch, file: idFile, line: row + 1,
          "item '\(id)' appears twice", help: "each item has one feature row")
      }
      vectors[id] = Array(values[(row * cols)..<((row + 1) * cols)])
      if !known.contains(id) { unknown += 1 }
    }
    var result = RawFeatures(dimension: cols, vectors: vectors)
    if unknown > 0 {
      result.notes.append("\(unknown) rows of \(file) match no item of \(knownFrom) and were ignored")
    }
    return result
  }

  private static func resolve(_ path: String, in directory: String) -> String {
    if path.hasPrefix("/") || FileManager.default.fileExists(atPath: path) { return path }
    return "\(directory)/\(path)"
  }

  /// `x.npy` -> `x.ids` or `x.txt` when one exists.
  /// `x.npy` -> `x.ids` or `x.txt` when one exists; a raw file `x.feat1CLS` -> `x.feat1CLS.ids`
  /// only (its stem is shared by the folder's other files).
  private static func besideIDFile(_ path: String, raw: Bool) -> String? {
    let stem = raw ? path : (path as NSString).deletingPathExtension
    return (raw ? ["ids"] : ["ids", "txt"]).map { "\(stem).\($0)" }.first { FileManager.default.fileExists(atPath: $0) }
  }

  /// The final feature tables, [itemIDs.count, d] with row 0 (padding) and items lacking the
  /// modality left zero.
  static func matrices(_ raw: [(name: String, features: RawFeatures)], itemIDs: [String]) throws
    -> [String: FeatureMatrix]
  {
    var result: [String: FeatureMatrix] = [:]
    for (name, features) in raw {
      if let graph = features.graph {
        result[name] = try KnowledgeGraphFeatures.features(items: itemIDs, neighbours: graph.neighbours, rank: graph.rank)
        continue
      }
      var matrix = FeatureMatrix(zeros: itemIDs.count, cols: features.dimension)
      for (i, id) in itemIDs.enumerated().dropFirst() {
        if let vector = features.vectors[id] {
          matrix.values.replaceSubrange((i * matrix.cols)..<((i + 1) * matrix.cols), with: vector)
        }
      }
      result[name] = matrix
    }
    return result
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
        throw DataError(
          .idMismatch, file: file, line: number + 1,
          "line \(number + 1) has no item id", help: "each line names the item of one feature row")
      }
      if id.contains("\t") || id.contains(" ") {
        throw DataError(
          .wrongColumnCount, file: file, line: number + 1,
          "expected one item id per line, found '\(id)'")
      }
      ids.append(id)
    }
    return ids
  }
}
