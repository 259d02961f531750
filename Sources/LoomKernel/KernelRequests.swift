import Foundation
import LoomConsole
import LoomLang
import LoomRec

/// The answers to the shell requests (Jupyter messaging 5.3, "Messages on the shell channel").
extension Kernel {
  var kernelInfo: JSONValue {
    [
      "status": "ok", "protocol_version": .string(KernelMessage.protocolVersion), "implementation": "loom",
      "implementation_version": .string(loomVersion),
      "language_info": [
        "name": "loom", "version": .string(loomVersion), "mimetype": "text/x-loom", "file_extension": ".loom",
        // Loom reads like Python (keywords, calls with keyword arguments, # comments).
        "codemirror_mode": "python", "pygments_lexer": "python",
      ],
      "banner": .string("Loom \(loomVersion): multimodal sequential recommendation. :help lists the builtins and models."),
      "help_links": [["text": "Loom language reference", "url": "https://github.com/loom/loom/blob/main/Docs/language.md"]],
    ]
  }

  /// execute_request: runs the cell in the session; output as streams, plots as display_data,
  /// a trailing expression as execute_result, an error as one error message whose traceback is
  /// the rendered diagnostic. After an error, requests already queued are aborted.
  func execute(_ request: KernelMessage, on socket: ZMQSocket) {
    let code = request.content["code"]?.string ?? ""
    let silent = request.content["silent"]?.bool ?? false
    let storeHistory = (request.content["store_history"]?.bool ?? true) && !silent
    state.withLock { interruptRequested = false }
    if storeHistory { executionCount += 1 }
    let count = JSONValue.number(Double(executionCount))
    if !silent { publish("execute_input", ["code": .string(code), "execution_count": count], parent: request) }
    if storeHistory { history.append((executionCount, code)) }
    running = request
    liveDisplay = nil
    let result = session.submit(code)
    if liveDisplay != nil { showLive("") }  // an interrupted fit leaves its bar: clear it
    running = nil
    if !silent { publishImages(parent: request) } else { _ = environment.takeImages() }
    switch result {
    case .complete(let text) where Self.isHelpRequest(code):
      // `:help NAME` opens Jupyter's pager (a "page" payload), as IPython's `name?` does.
      let page: JSONValue = ["source": "page", "data": ["text/plain": .string(text)], "start": 0]
      reply(
        request, on: socket, type: "execute_reply",
        ["status": "ok", "execution_count": count, "payload": silent ? [] : [page], "user_expressions": [:]])
    case .complete(let text):
      if !text.isEmpty, !silent {
        var data: [String: JSONValue] = ["text/plain": .string(text)]
        if case .host(let host)? = session.lastValue, let html = host.html { data["text/html"] = .string(html) }
        publish("execute_result", ["execution_count": count, "data": .object(data), "metadata": [:]], parent: request)
      }
      reply(
        request, on: socket, type: "execute_reply",
        [
          "status": "ok", "execution_count": count, "payload": [], "user_expressions": [:],
        ])
    case .incomplete:
      failed(
        request, on: socket, count: count, name: "SyntaxError", value: "the cell ends inside an open bracket or block",
        traceback: ["error: the cell ends inside an open bracket or block"], silent: silent)
    case .failed(let diagnostics):
      let first = diagnostics.first
      failed(
        request, on: socket, count: count, name: first.map { "\($0.kind)" } ?? "error", value: first?.message ?? "",
        traceback: DiagnosticRenderer.render(diagnostics).components(separatedBy: "\n"), silent: silent)
    case .quit:
      reply(
        request, on: socket, type: "execute_reply",
        [
          "status": "ok", "execution_count": count, "payload": [], "user_expressions": [:],
        ])
    }
  }

  /// A cell that is only `:help NAME`.
  static func isHelpRequest(_ code: String) -> Bool {
    let words = code.split(whereSeparator: \.isWhitespace)
    return words.count == 2 && words[0] == ":help"
  }

  func failed(
    _ request: KernelMessage, on socket: ZMQSocket, count: JSONValue, name: String, value: String, traceback: [String],
    silent: Bool
  ) {
    let error: JSONValue = ["ename": .string(name), "evalue": .string(value), "traceback": .array(traceback.map { .string($0) })]
    if !silent { publish("error", error, parent: request) }
    var content: [String: JSONValue] = ["status": "error", "execution_count": count]
    if case .object(let fields) = error { content.merge(fields) { $1 } }
    reply(request, on: socket, type: "execute_reply", .object(content))
    if request.content["stop_on_error"]?.bool ?? true { abortQueued(on: socket) }
  }

  /// Answers the execute requests already waiting with status "aborted" (what Jupyter expects
  /// after an error: the cells queued behind a failing one do not run). The queue is taken
  /// whole before the first answer goes out, as ipykernel flushes its stream first: a request
  /// a client sends after seeing an answer is a new cell, and runs.
  func abortQueued(on socket: ZMQSocket) {
    var waiting: [[[UInt8]]] = []
    while socket.poll(milliseconds: 0), let frames = socket.receive() { waiting.append(frames) }
    for frames in waiting {
      guard let message = checked(frames, channel: "shell") else { continue }
      guard message.type == "execute_request" else {
        handle(message, on: socket, channel: "shell")
        continue
      }
      busy(with: message) {
        reply(
          message, on: socket, type: "execute_reply", ["status": "aborted", "execution_count": .number(Double(executionCount))])
      }
    }
  }

  /// The cell's plots under it, as image/png with their size.
  func publishImages(parent: KernelMessage) {
    for image in environment.takeImages() {
      var metadata: JSONValue = [:]
      if let (width, height) = Self.pngSize(image.png) {
        metadata = ["image/png": ["width": .number(Double(width)), "height": .number(Double(height))]]
      }
      publish(
        "display_data",
        [
          "data": ["image/png": .string(Data(image.png).base64EncodedString()), "text/plain": .string(image.text)],
          "metadata": metadata, "transient": [:],
        ], parent: parent)
    }
  }

  /// A PNG's width and height from its IHDR chunk (bytes 16–23, big-endian).
  static func pngSize(_ png: [UInt8]) -> (Int, Int)? {
    guard png.count >= 24, png[12...15].elementsEqual(Array("IHDR".utf8)) else { return nil }
    let number = { (at: Int) in png[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
    return (number(16), number(20))
  }

  /// complete_request: the REPL's completion of the word before the cursor (positions count
  /// Unicode code points, as the spec says).
  func complete(_ content: JSONValue) -> JSONValue {
    let code = Array((content["code"]?.string ?? "").unicodeScalars)
    let cursor = min(max(content["cursor_pos"]?.int ?? code.count, 0), code.count)
    let breaks = Set(Session.wordBreakCharacters.unicodeScalars)
    var start = cursor
    while start > 0, !breaks.contains(code[start - 1]) { start -= 1 }
    let word = String(String.UnicodeScalarView(code[start..<cursor]))
    let lineStart = code[..<start].lastIndex(of: "\n").map { $0 + 1 } ?? 0
    let before = String(String.UnicodeScalarView(code[lineStart..<start]))
    let matches = session.completions(word: word, before: before)
    return [
      "status": "ok", "matches": .array(matches.map { .string($0) }), "cursor_start": .number(Double(start)),
      "cursor_end": .number(Double(cursor)), "metadata": [:],
    ]
  }

  /// inspect_request: `:help NAME`'s text for the name at (or just before) the cursor.
  func inspect(_ content: JSONValue) -> JSONValue {
    let code = Array((content["code"]?.string ?? "").unicodeScalars)
    let cursor = min(max(content["cursor_pos"]?.int ?? code.count, 0), code.count)
    func isName(_ c: Unicode.Scalar) -> Bool { c == "_" || CharacterSet.alphanumerics.contains(c) }
    var start = cursor
    var end = cursor
    while start > 0, isName(code[start - 1]) { start -= 1 }
    while end < code.count, isName(code[end]) { end += 1 }
    if start == end, start > 0, code[start - 1] == "(" {
      // Just after a call's bracket: inspect the function being called.
      end = start - 1
      start = end
      while start > 0, isName(code[start - 1]) { start -= 1 }
    }
    let name = String(String.UnicodeScalarView(code[start..<end]))
    guard !name.isEmpty, let text = session.helpText(for: name) else {
      return ["status": "ok", "found": false, "data": [:], "metadata": [:]]
    }
    return ["status": "ok", "found": true, "data": ["text/plain": .string(text)], "metadata": [:]]
  }

  /// is_complete_request: the parser's own verdict.
  func isComplete(_ content: JSONValue) -> JSONValue {
    let code = content["code"]?.string ?? ""
    let parsed = Parser.parse(SourceFile(name: "<cell>", text: code))
    if parsed.isIncomplete { return ["status": "incomplete", "indent": "  "] }
    if !parsed.diagnostics.isEmpty { return ["status": "invalid"] }
    return ["status": "complete"]
  }

  /// history_request: this session's inputs, (session, line, input) triples; `tail` and
  /// `range` as the spec describes them, `search` by glob pattern.
  func historyReply(_ content: JSONValue) -> JSONValue {
    var entries = history
    switch content["hist_access_type"]?.string {
    case "tail":
      let n = max(0, content["n"]?.int ?? 10)
      entries = Array(entries.suffix(n))
    case "search":
      let pattern = content["pattern"]?.string ?? "*"
      entries = entries.filter { fnmatch(pattern, $0.input, 0) == 0 }
      if content["unique"]?.bool == true {
        // The latest of equal inputs, in order (IPython's history search).
        var seen = Set<String>()
        entries = entries.reversed().filter { seen.insert($0.input).inserted }.reversed()
      }
      if let n = content["n"]?.int, n > 0 { entries = Array(entries.suffix(n)) }
    case "range":
      let start = content["start"]?.int ?? 0
      let stop = content["stop"]?.int
      entries = entries.filter { entry in entry.count >= start && (stop.map { entry.count < $0 } ?? true) }
    default: break
    }
    let output = content["output"]?.bool ?? false
    return [
      "status": "ok",
      "history": .array(
        entries.map { entry in
          .array([0, .number(Double(entry.count)), output ? .array([.string(entry.input), .null]) : .string(entry.input)])
        }),
    ]
  }
}
