import Foundation

/// `TextToSwift INPUT OUTPUT NAME` writes a Swift file declaring `let NAME: String` whose value is
/// INPUT's text exactly, byte for byte. The EmbedPrelude build-tool plugin runs it on
/// prelude.loom so the binary carries its prelude and needs no resource bundle beside it.
///
/// The literal is a multi-line string with the file's own line breaks, so the generated file
/// reads like the source; `\` and `"` are escaped (no interpolation, no early delimiter) and so
/// are control characters and carriage returns, which a multi-line literal would not keep.
let arguments = CommandLine.arguments
guard arguments.count == 4 else {
  FileHandle.standardError.write(Data("usage: TextToSwift INPUT OUTPUT NAME\n".utf8))
  exit(64)
}
let (input, output, name) = (arguments[1], arguments[2], arguments[3])

guard let data = FileManager.default.contents(atPath: input) else {
  FileHandle.standardError.write(Data("TextToSwift: cannot read \(input)\n".utf8))
  exit(66)
}
guard let text = String(data: data, encoding: .utf8) else {
  FileHandle.standardError.write(Data("TextToSwift: \(input) is not UTF-8 text\n".utf8))
  exit(65)
}

/// The body of a multi-line string literal whose value is `text`.
func literalBody(_ text: String) -> String {
  var body = ""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\\": body += "\\\\"
    case "\"": body += "\\\""
    case "\n", "\t": body.unicodeScalars.append(scalar)
    case "\r": body += "\\r"
    case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029:
      body += "\\u{\(String(scalar.value, radix: 16))}"
    default: body.unicodeScalars.append(scalar)
    }
  }
  return body
}

// The line break before the closing delimiter is not part of a multi-line literal, so
// `"""\n` + body + `\n"""` has exactly the value `text`, whether or not it ends in a newline.
let swift = """
  // Generated at build time from \((input as NSString).lastPathComponent) by TextToSwift; edit that file instead.
  let \(name): String = \"\"\"

  """ + literalBody(text) + "\n\"\"\"\n"

do {
  let url = URL(fileURLWithPath: output)
  // Unchanged output keeps its timestamp, so nothing downstream recompiles.
  if FileManager.default.contents(atPath: output) != Data(swift.utf8) {
    try Data(swift.utf8).write(to: url, options: .atomic)
  }
} catch {
  FileHandle.standardError.write(Data("TextToSwift: cannot write \(output): \(error.localizedDescription)\n".utf8))
  exit(73)
}
