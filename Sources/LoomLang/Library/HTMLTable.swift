/// A plain HTML table for notebook front ends (Jupyter shows `text/html` beside `text/plain`):
/// reports and comparison tables render as tables there, with their protocol as the caption.
enum HTMLTable {
  static func render(header: [String], rows: [[String]], caption: String? = nil) -> String {
    var html = "<table>\n"
    if let caption { html += "<caption>\(escape(caption))</caption>\n" }
    html += "<thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
    for row in rows { html += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n" }
    return html + "</tbody>\n</table>"
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }
}
