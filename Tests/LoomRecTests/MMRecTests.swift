import Foundation
import Testing

@testable import LoomRec

/// MMRec's layout, written by hand: items 0...3, user 7 with five interactions (three training,
/// one validation, one test; listed out of time order) and user 9 with three.
private func mmrecFolder(inter: String? = nil) throws -> String {
  let directory = try makeDirectory(
    "baby",
    [
      "baby.inter": inter ?? """
        userID\titemID\trating\ttimestamp\tx_label
        7\t2\t5\t300\t0
        7\t0\t4\t100\t0
        7\t1\t5\t200\t0
        9\t3\t3\t100\t0
        7\t3\t4\t500\t2
        7\t2\t4\t400\t1
        9\t0\t4\t200\t1
        9\t1\t5\t300\t2

        """
    ])
  // Row i belongs to item id i: image rows (i, 10 i), text rows (−i).
  let image = NumPyFile.encode(rows: 4, cols: 2, values: [0, 0, 1, 10, 2, 20, 3, 30])
  try Data(image).write(to: URL(fileURLWithPath: "\(directory)/image_feat.npy"))
  let text = NumPyFile.encode(rows: 4, cols: 1, values: [0, -1, -2, -3])
  try Data(text).write(to: URL(fileURLWithPath: "\(directory)/text_feat.npy"))
  return directory
}

@Suite struct MMRecTests {
  @Test func readsTheLabelsAsTheSplit() throws {
    let data = try Dataset.load(directory: try mmrecFolder())
    #expect(data.userIDs == ["7", "9"])
    #expect(data.itemCount == 4)
    // Item id i is internal id i + 1; sequences in time order.
    #expect(data.sequences == [[1, 2, 3, 3, 4], [4, 1, 2]])
    let split = try Split.given(data)
    #expect(split.trainEnd == [3, 1] && split.validEnd == [4, 2])
    #expect(split.valid.map { Array($0.history) } == [[1, 2, 3], [4]])
    #expect(split.valid.map { Array($0.targets) } == [[3], [1]])
    #expect(split.test.map { Array($0.history) } == [[1, 2, 3, 3], [4, 1]])
    #expect(split.test.map { Array($0.targets) } == [[4], [2]])
    // image_feat.npy and text_feat.npy become "visual" and "text", row i for item id i.
    #expect(Array(try #require(data.features["visual"]).row(3)) == [2, 20])
    #expect(Array(try #require(data.features["text"]).row(4)) == [-3])
    #expect(Array(try #require(data.features["text"]).row(0)) == [0])
  }

  @Test func labelsOutOfTimeOrderAreAnError() throws {
    let inter = "userID\titemID\ttimestamp\tx_label\n1\t0\t100\t2\n1\t1\t200\t0\n"
    let error = dataError { _ = try Dataset.load(directory: try mmrecFolder(inter: inter)) }
    #expect(error?.kind == .idMismatch && error?.line == 3)
    let badLabel = dataError { _ = try Dataset.load(directory: try mmrecFolder(inter: "userID\titemID\tx_label\n1\t0\t5\n")) }
    #expect(badLabel?.kind == .notANumber && badLabel?.line == 2 && badLabel?.column == 3)
  }

  @Test func featureRowsMustMatchTheItems() throws {
    let inter = "userID\titemID\tx_label\n1\t0\t0\n1\t1\t1\n1\t2\t2\n"  // items 0...2, files have 4 rows
    let error = dataError { _ = try Dataset.load(directory: try mmrecFolder(inter: inter)) }
    #expect(error?.kind == .npyRowCount)
  }
}
