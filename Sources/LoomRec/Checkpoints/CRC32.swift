/// CRC-32 as in zlib, PNG and gzip (IEEE 802.3): reflected polynomial 0xEDB88320, initial
/// value 0xFFFFFFFF, final complement. Check value: CRC-32("123456789") = 0xCBF43926.
///
/// Table-driven, one byte per step: crc ← table[(crc ⊕ byte) & 0xFF] ⊕ (crc >> 8), where
/// table[n] is n shifted through eight rounds of "if the low bit is set, shift and xor the
/// polynomial, else shift". Feed bytes in pieces with `update`; the result does not depend on
/// how the input was cut.
public struct CRC32: Sendable, Equatable {
  private var state: UInt32 = 0xFFFF_FFFF

  public init() {}

  /// The checksum of all bytes fed so far.
  public var value: UInt32 { ~state }

  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    var crc = state
    Self.table.withUnsafeBufferPointer { table in
      for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    }
    state = crc
  }

  public mutating func update(_ bytes: some Sequence<UInt8>) {
    let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
    if done == nil { update(Array(bytes)) }
  }

  /// The checksum of `bytes` in one call.
  public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc = CRC32()
    crc.update(bytes)
    return crc.value
  }

  static let table: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }
}
