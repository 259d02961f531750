/// A plain HTML table for notebook front ends (Jupyter shows `text/html` beside `text/plain`):
/// reports, comparison tables and model summaries render as tables there. A short title goes
/// in the caption; longer text (an evaluation protocol) in paragraphs under the table, where it
/// is not squeezed to the table's width.
enum HTMLTable {
  static func render(header: [String], rows: [[String]], caption: String? = nil, notes: [String] = []) -> String {
    var html = "<table>\n"
    if let caption { html += "<caption>\(escape(caption))</caption>\n" }
    html += "<thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
    for row in rows { html += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n" }
    return html + "</tbody>\n</table>" + notes.map { "\n<p>\(escape($0))</p>" }.joined()
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }
}
