import Testing

@testable import LoomRec

@Suite struct RecBoleAtomicFileTests {
  @Test func readsTypedColumns() throws {
    let table = try AtomicTable.parse(
      "user_id:token\titem_id:token\trating:float\tvec:float_seq\r\nu1\ti1\t3\t1 2.5\n\nu2\ti2\t4.5\t\n",
      file: "x.inter")
    #expect(table.fields.map(\.name) == ["user_id", "item_id", "rating", "vec"])
    #expect(table.fields.map(\.type) == [.token, .token, .float, .floatSeq])
    #expect(table.rowCount == 2)
    #expect(table.lines == [2, 4])
    #expect(table.strings(0) == ["u1", "u2"])
    guard case .float(let ratings) = table.columns[2], case .floatSeq(let vectors) = table.columns[3] else {
      Issue.record("wrong column kinds")
      return
    }
    #expect(ratings == [3, 4.5])
    #expect(vectors == [[1, 2.5], []])
  }

  @Test func headerFieldWithoutTypeIsLocated() {
    let error = dataError { _ = try AtomicTable.parse("user_id:token\titem_id\nu\ti\n", file: "a.inter") }
    #expect(error?.kind == .missingHeaderType)
    #expect(error?.location == "a.inter:1:15")
  }

  @Test func unknownTypeIsLocatedAtTheType() {
    let error = dataError { _ = try AtomicTable.parse("user_id:token\tts:int\n", file: "a.inter") }
    #expect(error?.kind == .unknownType)
    #expect(error?.location == "a.inter:1:18")
  }

  @Test func extraColumnIsLocatedAtTheExtraField() {
    let error = dataError { _ = try AtomicTable.parse("a:token\tb:token\nx\ty\n\nx\ty\tz\n", file: "f.item") }
    #expect(error?.kind == .wrongColumnCount)
    #expect(error?.location == "f.item:4:5")
  }

  @Test func missingColumnIsLocatedAtTheLineEnd() {
    let error = dataError { _ = try AtomicTable.parse("a:token\tb:token\nxy\n", file: "f.item") }
    #expect(error?.kind == .wrongColumnCount)
    #expect(error?.location == "f.item:2:3")
  }

  @Test func nonNumericTimestampIsLocated() {
    let text = "u:token\ti:token\ttimestamp:float\nu1\ti1\t12\nu1\ti2\tabc\n"
    let error = dataError { _ = try AtomicTable.parse(text, file: "d.inter") }
    #expect(error?.kind == .notANumber)
    #expect(error?.location == "d.inter:3:7")
    #expect(error?.description.contains("timestamp 'abc' is not a number") == true)
  }

  @Test func nanAndInfinityInFeaturesAreRejected() {
    let nan = dataError { _ = try AtomicTable.parse("i:token\tv:float_seq\ni1\t1 2 nan\n", file: "d.item") }
    #expect(nan?.kind == .nonFinite)
    #expect(nan?.location == "d.item:2:8")
    let inf = dataError { _ = try AtomicTable.parse("i:token\tr:float\ni1\tinf\n", file: "d.inter") }
    #expect(inf?.kind == .nonFinite)
    #expect(inf?.location == "d.inter:2:4")
  }

  @Test func emptyFileHasNoHeader() {
    #expect(dataError { _ = try AtomicTable.parse("\n", file: "e.inter") }?.kind == .missingHeaderType)
  }

  @Test func unknownFieldListsTheFields() throws {
    let table = try AtomicTable.parse("item_id:token\ttitle:token_seq\n1\tA\n", file: "m.item")
    let error = dataError { _ = try table.fieldIndex("titel", purpose: "text") }
    #expect(error?.kind == .unknownField)
    #expect(error?.message.contains("item_id, title") == true)
  }
}
