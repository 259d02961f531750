import Foundation

/// JSON coders for files Loom writes for itself (compare journals, training states): metrics and
/// validation values may be NaN (an empty split) or infinite, which plain JSON cannot carry, so
/// they travel as the strings "nan", "inf" and "-inf". Keys are sorted so files diff cleanly.
public enum NaNTolerantJSON {
  public static func encoder() -> JSONEncoder {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return e
  }

  public static func decoder() -> JSONDecoder {
    let d = JSONDecoder()
    d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return d
  }
}
