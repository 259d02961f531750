import Foundation
import LoomText
import Testing

@testable import LoomRec

/// A pre-split folder in UniSRec's downstream layout, written by hand:
/// user 0 (A) has items 0 1 2 3 4 (train rows listed newest first, as the files do), user 1 (B)
/// has 2 3 1 with no training row of its own but the validation history, and user 2 (C) has a
/// training sequence of five items whose validation and test histories are cut to the last 4
/// (the files' longest history is 4 here, as UniSRec cuts at 50).
private func presplitFolder(_ overrides: [String: String] = [:]) throws -> String {
  let header = "user_id:token\titem_id_list:token_seq\titem_id:token\n"
  var files = [
    "Toy.item2index": "X0\t0\nX1\t1\nX2\t2\nX3\t3\nX4\t4\nX5\t5\nX6\t6\n",
    "Toy.user2index": "A\t0\nB\t1\nC\t2\n",
    "Toy.train.inter": header + "0\t0 1\t2\n0\t0\t1\n2\t0 1 2 3\t4\n2\t0 1 2\t3\n2\t0 1\t2\n2\t0\t1\n",
    "Toy.valid.inter": header + "0\t0 1 2\t3\n1\t2\t3\n2\t1 2 3 4\t5\n",
    "Toy.test.inter": header + "0\t0 1 2 3\t4\n1\t2 3\t1\n2\t2 3 4 5\t6\n",
    "Toy.text":
      "item_id:token\ttext:token_seq\nX0\tRed glue, 8 oz.\nX1\tBlue tape\nX2\tGreen gloves\nX3\tA lab coat\nX4\tSafety goggles\nX5\tPipettes\nX6\tBeakers\n",
  ]
  for (file, text) in overrides { files[file] = text }
  return try makeDirectory("Toy", files)
}

/// Raw little-endian float32 bytes of `values`.
private func float32Bytes(_ values: [Float]) -> Data {
  var data = Data()
  for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
  return data
}

@Suite struct PresplitTests {
  @Test func readsTheFilesAsGiven() throws {
    let data = try Dataset.load(directory: try presplitFolder())
    #expect(data.name == "Toy")
    #expect(data.userIDs == ["A", "B", "C"])
    #expect(data.itemIDs == ["[PAD]", "X0", "X1", "X2", "X3", "X4", "X5", "X6"])
    // Internal item id = index + 1.
    #expect(data.sequences == [[1, 2, 3, 4, 5], [3, 4, 2], [1, 2, 3, 4, 5, 6, 7]])
    #expect(data.interactionCount == 15)
    let split = try Split.given(data)
    #expect(split.kind == .given)
    #expect(split.trainEnd == [3, 1, 5])
    #expect(split.validEnd == [4, 2, 6])
    #expect(split.trainingSequences() == [[1, 2, 3], [3], [1, 2, 3, 4, 5]])
    #expect(split.trainingSequences(includingValidation: true) == [[1, 2, 3, 4], [3, 4], [1, 2, 3, 4, 5, 6]])
    #expect(split.valid.map { Array($0.history) } == [[1, 2, 3], [3], [2, 3, 4, 5]])
    #expect(split.valid.map { Array($0.targets) } == [[4], [4], [6]])
    #expect(split.test.map { Array($0.history) } == [[1, 2, 3, 4], [3, 4], [3, 4, 5, 6]])
    #expect(split.test.map { Array($0.targets) } == [[5], [2], [7]])
    #expect(data.notes.contains { $0.hasPrefix("1 users' validation/test histories are cut to the last 4 items") })
    // Words and titles from Toy.text, by raw id.
    #expect(data.titles?[1] == "Red glue, 8 oz.")
    let text = try #require(data.text)
    #expect(text.words(of: 1).map { text.vocabulary[Int($0)] } == ["red", "glue", "8", "oz"])
  }

  @Test func trainsOnTheTrainingSequencesInEveryMode() throws {
    let split = try Split.given(try Dataset.load(directory: try presplitFolder()))
    // last: one row per user whose training sequence has a target (users A and C; B has one
    // item), each predicting every position of its last maxlen items.
    let last = try TrainingInstances(split: split, mode: .last, maxlen: 50)
    #expect(last.rows.count == 2 && last.targetCount == 6)
    // prefix: every training target: 2 of A, 4 of C, as the train file's six rows.
    let prefix = try TrainingInstances(split: split, mode: .prefix, maxlen: 50)
    #expect(prefix.targetCount == 6)
    let windows = try TrainingInstances(split: split, mode: .windows, maxlen: 50)
    #expect(windows.targetCount == 6)
  }

  @Test func readsRawFloat32TablesInItem2IndexOrder() throws {
    let directory = try presplitFolder()
    let values = (0..<14).map { Float($0) / 4 }  // 7 items × 2
    try float32Bytes(values).write(to: URL(fileURLWithPath: "\(directory)/Toy.feat1CLS"))
    try float32Bytes(values.map { -$0 }).write(to: URL(fileURLWithPath: "\(directory)/Toy.feat3CLS"))
    let data = try Dataset.load(
      directory: directory,
      features: [
        (name: "visual", source: FeatureSource("Toy.feat3CLS", directory: directory)),
        (name: "text", source: FeatureSource("Toy.feat1CLS", directory: directory)),
      ])
    let text = try #require(data.features["text"])
    #expect(text.rows == 8 && text.cols == 2)
    #expect(Array(text.row(0)) == [0, 0])
    #expect(Array(text.row(1)) == [0, 0.25])  // item index 0 = X0
    #expect(Array(text.row(7)) == [3, 3.25])  // item index 6 = X6
    #expect(Array(try #require(data.features["visual"]).row(3)) == [-1, -1.25])
    #expect(describe(data).contains("text           [8, 2]"))
    #expect(describe(data).contains("words          vocabulary"))
  }

  @Test func rawFeatureFileErrorsNameBothNumbers() throws {
    let directory = try presplitFolder()
    try float32Bytes([1, 2, 3, 4, 5, 6, 7, 8, 9]).write(to: URL(fileURLWithPath: "\(directory)/Toy.feat1CLS"))
    let error = dataError {
      _ = try Dataset.load(directory: directory, features: [(name: "text", source: .rawFloat32(path: "Toy.feat1CLS", ids: nil))])
    }
    #expect(error?.kind == .npyRowCount)
    #expect(error?.message.contains("36 bytes") == true && error?.message.contains("7 items") == true)

    try float32Bytes([1, 2, 3, 4, 5, .nan, 7, 8, 9, 10, 11, 12, 13, 14]).write(
      to: URL(fileURLWithPath: "\(directory)/Toy.feat1CLS"))
    let nan = dataError {
      _ = try Dataset.load(directory: directory, features: [(name: "text", source: .rawFloat32(path: "Toy.feat1CLS", ids: nil))])
    }
    #expect(nan?.kind == .nonFinite && nan?.line == 3 && nan?.column == 2)

    let absent = dataError {
      _ = try Dataset.load(directory: directory, features: [(name: "text", source: FeatureSource("Toy.feat9CLS"))])
    }
    #expect(absent?.kind == .missingFile)
    let twice = dataError {
      _ = try Dataset.load(directory: directory, visual: .column("v"), features: [(name: "visual", source: .column("w"))])
    }
    #expect(twice?.kind == .badOption)
  }

  @Test func sourcesAreReadFromTheirForm() throws {
    let directory = try presplitFolder()
    try Data([0, 0, 0, 0]).write(to: URL(fileURLWithPath: "\(directory)/Toy.feat1CLS"))
    #expect(FeatureSource("Toy.feat1CLS", directory: directory) == .rawFloat32(path: "Toy.feat1CLS", ids: nil))
    #expect(FeatureSource("x/y.bin") == .rawFloat32(path: "x/y.bin", ids: nil))
    #expect(FeatureSource("image.npy") == .npy(path: "image.npy", ids: nil))
    #expect(FeatureSource("kg:8") == .knowledgeGraph(rank: 8))
    #expect(FeatureSource("vec") == .column("vec"))
  }

  @Test func badFoldersAreClearErrors() throws {
    // A missing split file.
    let directory = try presplitFolder()
    try FileManager.default.removeItem(atPath: "\(directory)/Toy.valid.inter")
    let missing = dataError { _ = try Dataset.load(directory: directory) }
    #expect(missing?.kind == .missingFile && missing?.message.contains("no valid file") == true)

    // An item index outside item2index, with its line.
    let header = "user_id:token\titem_id_list:token_seq\titem_id:token\n"
    let outside = dataError {
      _ = try Dataset.load(
        directory: try presplitFolder(["Toy.test.inter": header + "0\t0 1 2 3\t4\n1\t2 3\t9\n2\t2 3 4 5\t6\n"]))
    }
    #expect(outside?.kind == .idMismatch && outside?.line == 3 && outside?.message.contains("'9'") == true)

    // A test history that does not continue the user's earlier rows.
    let broken = dataError {
      _ = try Dataset.load(
        directory: try presplitFolder(["Toy.test.inter": header + "0\t0 1 3 2\t4\n1\t2 3\t1\n2\t2 3 4 5\t6\n"]))
    }
    #expect(broken?.kind == .idMismatch && broken?.file == "Toy.test.inter" && broken?.line == 2)

    // Two test rows for one user.
    let twice = dataError {
      _ = try Dataset.load(
        directory: try presplitFolder(["Toy.test.inter": header + "0\t0 1 2 3\t4\n0\t0 1 2 3\t4\n1\t2 3\t1\n2\t2 3 4 5\t6\n"]))
    }
    #expect(twice?.kind == .idMismatch && twice?.line == 3)

    // A user index outside user2index.
    let user = dataError {
      _ = try Dataset.load(directory: try presplitFolder(["Toy.valid.inter": header + "0\t0 1 2\t3\n7\t2\t3\n2\t1 2 3 4\t5\n"]))
    }
    #expect(user?.kind == .idMismatch && user?.line == 3)

    // An item without text cannot be dropped from a given split; zero-filled on request.
    let gap = try presplitFolder(["Toy.text": "item_id:token\ttext:token_seq\nX0\tRed glue\n"])
    let dropped = dataError { _ = try Dataset.load(directory: gap) }
    #expect(dropped?.kind == .idMismatch && dropped?.message.contains("6 without text") == true)
    var options = LoadOptions()
    options.missing = .zero
    let zeroed = try Dataset.load(directory: gap, options: options)
    #expect(zeroed.notes.contains("zero-filled items (6 without text)"))
  }
}

/// The Amazon Scientific sets of ../shared/data (read-only; never copied into the project).
let sharedDataPath: String = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("shared/data").path

let amazonPresent: Bool = {
  let present = FileManager.default.fileExists(atPath: sharedDataPath + "/amazon-scientific-mm/Scientific.test.inter")
  if !present { print("note: skipping the Amazon Scientific tests: \(sharedDataPath) is missing") }
  return present
}()

@Suite(.enabled(if: amazonPresent, "../shared/data (the Amazon Scientific sets) is missing"))
struct AmazonScientificTests {
  @Test func loadsTheImageAndTextSet() throws {
    let directory = sharedDataPath + "/amazon-scientific-mm"
    let data = try Dataset.load(
      directory: directory,
      features: [
        (name: "visual", source: FeatureSource("Scientific.feat3CLS", directory: directory)),
        (name: "text", source: FeatureSource("Scientific.feat1CLS", directory: directory)),
      ])
    #expect(data.userCount == 2928 && data.itemCount == 1585 && data.interactionCount == 19712)
    let text = try #require(data.features["text"])
    let visual = try #require(data.features["visual"])
    #expect(text.rows == 1586 && text.cols == 512 && visual.cols == 512)
    // numpy.fromfile(..., dtype="<f4").reshape(-1, 512): text[0, :3], text[1584, -2:], image[7, 100].
    #expect(Array(text.row(1).prefix(3)) == [-0.1027832, -0.16870117, -0.50097656])
    #expect(Array(text.row(1585).suffix(2)) == [0.07409668, -0.3190918])
    #expect(visual.row(8)[visual.row(8).startIndex + 100] == -0.0357666)
    let split = try Split.given(data)
    #expect(split.valid.count == 2928 && split.test.count == 2928)
    // Every row of the files is a training target, a validation or a test case.
    #expect(try TrainingInstances(split: split, mode: .prefix, maxlen: 50).targetCount == 10928)
  }

  @Test func loadsTheTextOnlySetWithItsCutHistories() throws {
    let data = try Dataset.load(directory: sharedDataPath + "/amazon-scientific")
    #expect(data.userCount == 8442 && data.itemCount == 4385)
    let split = try Split.given(data)
    #expect(split.test.count == 8442)
    #expect(split.test.allSatisfy { $0.history.count <= 50 })
    #expect(try TrainingInstances(split: split, mode: .prefix, maxlen: 50).targetCount == 34101)
    // The 3 users with more than 51 items keep the files' last-50 histories.
    #expect(data.notes.contains { $0.hasPrefix("3 users' validation/test histories are cut") })
  }
}

@Suite struct EncodedTextTableTests {
  @Test func aBadModelFolderIsADataError() throws {
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("loom-model-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    let error = dataError {
      _ = try Dataset.load(
        directory: try presplitFolder(), features: [(name: "text", source: .sentenceEncoder(model: empty.path))])
    }
    #expect(error?.kind == .badModel)
    #expect(error?.file.hasSuffix("config.json") == true)
  }

  @Test func encodingNeedsText() throws {
    let directory = try presplitFolder()
    try FileManager.default.removeItem(atPath: "\(directory)/Toy.text")
    let error = dataError {
      _ = try Dataset.load(directory: directory, features: [(name: "text", source: .sentenceEncoder(model: "models/x"))])
    }
    #expect(error?.kind == .badOption && error?.message.contains("has none") == true)
  }
}

/// models/all-MiniLM-L6-v2 (Examples/get-minilm.sh puts it there; models/ is not committed).
let miniLMPath: String = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("models/all-MiniLM-L6-v2").path

let miniLMPresent: Bool = {
  let present = FileManager.default.fileExists(atPath: miniLMPath + "/model.safetensors")
  if !present { print("note: skipping the encoded-text-table test: \(miniLMPath) is missing; run Examples/get-minilm.sh") }
  return present
}()

@Suite(.enabled(if: miniLMPresent, "models/all-MiniLM-L6-v2 is missing: run Examples/get-minilm.sh"))
struct MiniLMTextTableTests {
  @Test func eachItemsTextIsEncodedIntoItsRow() throws {
    let data = try Dataset.load(
      directory: try presplitFolder(), features: [(name: "text", source: .sentenceEncoder(model: miniLMPath))])
    let table = try #require(data.features["text"])
    #expect(table.rows == 8 && table.cols == 384)
    #expect(table.row(0).allSatisfy { $0 == 0 })
    // Row of item X3 ("A lab coat") equals the encoder's vector for that text alone, and the
    // model's Normalize module makes it unit length.
    let alone = try SentenceEncoder(modelDirectory: miniLMPath).encode(["A lab coat"])
    let row = Array(table.row(4))
    #expect(zip(row, alone).allSatisfy { abs($0 - $1) < 1e-5 })
    #expect(abs(row.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
  }
}
