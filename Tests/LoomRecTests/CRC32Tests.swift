import Testing

@testable import LoomRec

@Suite struct CRC32Tests {
  @Test func standardCheckValue() {
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
  }

  @Test func knownValues() {
    #expect(CRC32.checksum([UInt8]()) == 0)
    #expect(CRC32.checksum([0x61]) == 0xE8B7_BE43)  // "a"
    #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
  }

  @Test func piecesGiveTheSameChecksumAsOneCall() {
    let bytes = Array("The quick brown fox jumps over the lazy dog".utf8)
    var crc = CRC32()
    crc.update(bytes[0..<10])
    crc.update(bytes[10..<11])
    crc.update(bytes[11...])
    #expect(crc.value == 0x414F_A339)
  }

  @Test func tableStartsAsThePolynomialSays() {
    #expect(CRC32.table[0] == 0)
    #expect(CRC32.table[1] == 0x7707_3096)
    #expect(CRC32.table[128] == 0xEDB8_8320)
    #expect(CRC32.table[255] == 0x2D02_EF8D)
  }
}
