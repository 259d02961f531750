import Foundation
import Testing

@testable import LoomRec

@Suite struct NumPyTests {
  /// A .npy file with a hand-written header and raw data bytes.
  func npy(_ header: String, _ data: [UInt8], version: UInt8 = 1) -> [UInt8] {
    var text = header
    while (10 + text.utf8.count + 1) % 16 != 0 { text += " " }
    text += "\n"
    let length = text.utf8.count
    return [0x93] + Array("NUMPY".utf8) + [version, 0, UInt8(length & 0xff), UInt8(length >> 8)]
      + Array(text.utf8) + data
  }

  func littleEndian(_ values: [Double]) -> [UInt8] {
    values.flatMap { value in (0..<8).map { UInt8((value.bitPattern >> UInt64(8 * $0)) & 0xff) } }
  }

  @Test func roundTripsFloat32() throws {
    let bytes = NumPyFile.encode(rows: 2, cols: 3, values: [1, 2, 3, 4, 5, 6.5])
    #expect(bytes.count % 64 == 24)  // header padded to 64 bytes, then 24 data bytes
    let matrix = try NumPyFile.parse(bytes, file: "a.npy")
    #expect(matrix == NumPyMatrix(rows: 2, cols: 3, values: [1, 2, 3, 4, 5, 6.5]))
  }

  @Test func readsFloat64InBothByteOrders() throws {
    let little = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", littleEndian([0.5, -2]))
    #expect(try NumPyFile.parse(little, file: "l.npy").values == [0.5, -2])
    let bigData = [0.25, 3.0].flatMap { v in (0..<8).reversed().map { UInt8((v.bitPattern >> UInt64(8 * $0)) & 0xff) } }
    let big = npy("{\"descr\": \">f8\", \"shape\": (2L, 1L), \"fortran_order\": False}", bigData)
    let matrix = try NumPyFile.parse(big, file: "b.npy")
    #expect(matrix.rows == 2 && matrix.cols == 1 && matrix.values == [0.25, 3])
  }

  @Test func rejectsIntegerDtype() {
    let bytes = npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1, 1), }", [UInt8](repeating: 0, count: 8))
    let error = dataError { _ = try NumPyFile.parse(bytes, file: "i.npy") }
    #expect(error?.kind == .npyDtype)
    #expect(error?.description.contains("'<i8'") == true)
  }

  @Test func rejectsFortranOrderAndOtherShapes() {
    let fortran = npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", [0, 0, 0, 0])
    #expect(dataError { _ = try NumPyFile.parse(fortran, file: "f.npy") }?.kind == .npyFormat)
    let cube = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1), }", [0, 0, 0, 0])
    #expect(dataError { _ = try NumPyFile.parse(cube, file: "c.npy") }?.kind == .npyFormat)
    let short = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), }", [0, 0, 0, 0])
    #expect(dataError { _ = try NumPyFile.parse(short, file: "s.npy") }?.kind == .npyFormat)
    #expect(dataError { _ = try NumPyFile.parse(Array("hello world".utf8), file: "t.npy") }?.kind == .npyFormat)
  }

  @Test func rejectsNaNWithRowAndFeature() {
    let bytes = NumPyFile.encode(rows: 2, cols: 2, values: [1, 2, 3, .nan])
    let error = dataError { _ = try NumPyFile.parse(bytes, file: "n.npy") }
    #expect(error?.kind == .nonFinite)
    #expect(error?.location == "n.npy:2:2")
  }

  func directory(npyRows: [[Float]], ids: String?, item: Bool = true) throws -> String {
    var files = [
      "shop.inter": "user_id:token\titem_id:token\na\tx\na\ty\nb\tz\n"
    ]
    if item { files["shop.item"] = "item_id:token\nx\ny\nz\n" }
    if let ids { files["image.ids"] = ids }
    let path = try makeDirectory("shop", files)
    let values = npyRows.flatMap { $0 }
    let bytes = NumPyFile.encode(rows: npyRows.count, cols: npyRows.first?.count ?? 0, values: values)
    try Data(bytes).write(to: URL(fileURLWithPath: path + "/image.npy"))
    return path
  }

  @Test func matchesRowsByTheIDListBesideTheFile() throws {
    let path = try directory(npyRows: [[3, 3], [9, 9], [1, 1], [2, 2]], ids: "z\nw\nx\ny\n")
    let data = try Dataset.load(directory: path, visual: FeatureSource("image.npy"))
    #expect(data.itemIDs == ["[PAD]", "x", "y", "z"])
    #expect(data.features["visual"]?.values == [0, 0, 1, 1, 2, 2, 3, 3])
    #expect(data.notes.contains("1 rows of image.npy match no item of shop.inter and were ignored"))
  }

  @Test func withoutIDListRowsFollowTheItemFile() throws {
    let path = try directory(npyRows: [[1], [2], [3]], ids: nil)
    let data = try Dataset.load(directory: path, visual: .npy(path: "image.npy", ids: nil))
    #expect(data.features["visual"]?.values == [0, 1, 2, 3])
  }

  @Test func rowCountMismatchIsAnErrorNotAShift() throws {
    let withoutList = try directory(npyRows: [[1], [2]], ids: nil)
    let error = dataError { _ = try Dataset.load(directory: withoutList, visual: FeatureSource("image.npy")) }
    #expect(error?.kind == .npyRowCount)
    #expect(error?.message == "image.npy has 2 rows but shop.item lists 3 items")
    let withList = try directory(npyRows: [[1], [2]], ids: "x\ny\nz\n")
    #expect(dataError { _ = try Dataset.load(directory: withList, visual: FeatureSource("image.npy")) }?.kind == .npyRowCount)
  }

  @Test func duplicateAndBlankIDsAreErrors() throws {
    let duplicate = try directory(npyRows: [[1], [2], [3]], ids: "x\ny\nx\n")
    #expect(dataError { _ = try Dataset.load(directory: duplicate, visual: FeatureSource("image.npy")) }?.kind == .idMismatch)
    let blank = try directory(npyRows: [[1], [2], [3]], ids: "x\n\nz\n")
    let error = dataError { _ = try Dataset.load(directory: blank, visual: FeatureSource("image.npy")) }
    #expect(error?.kind == .idMismatch)
    #expect(error?.location == "image.ids:2")
  }
}
