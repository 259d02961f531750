import Foundation
import Testing

@testable import LoomRec

/// Writes `files` (name -> contents) into a fresh directory named `name` under the temporary
/// directory and returns its path.
func makeDirectory(_ name: String, _ files: [String: String]) throws -> String {
  let root = FileManager.default.temporaryDirectory
    .appendingPathComponent("loomrec-\(UUID().uuidString)").appendingPathComponent(name)
  try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  for (file, text) in files {
    try text.write(to: root.appendingPathComponent(file), atomically: true, encoding: .utf8)
  }
  return root.path
}

/// The DataError thrown by `body`, or nil when it throws nothing or something else.
func dataError(_ body: () throws -> Void) -> DataError? {
  do {
    try body()
    return nil
  } catch let error as DataError {
    return error
  } catch {
    return nil
  }
}

/// A data set from explicit sequences over items 1...itemCount.
func dataset(_ sequences: [[Int32]], itemCount: Int) -> Dataset {
  Dataset(
    name: "test", userIDs: sequences.indices.map { "u\($0)" },
    itemIDs: [Dataset.paddingID] + (1...itemCount).map { "i\($0)" }, sequences: sequences)
}

func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance }
