import Foundation
import LoomConsole
import LoomLang

/// A native Jupyter kernel for Loom (messaging protocol 5.3 over ZeroMQ), in-process with the
/// interpreter: a kernel session is a REPL session (`Session`), so variables survive errors and
/// a cell sees what earlier cells defined.
///
/// Threads: the caller's thread serves the shell channel (execute and the other requests, one at
/// a time); a control thread serves interrupt, shutdown and kernel_info even while a cell runs;
/// a heartbeat thread echoes pings. IOPub is shared and published under a lock. Interrupts are
/// messages (`interrupt_mode: "message"`): a running `fit` stops after its batch with its best
/// parameters, as Ctrl-C does in the REPL.
public final class Kernel: @unchecked Sendable {
  let info: ConnectionInfo
  let signer: MessageSigner
  let context: ZMQContext
  let shell: ZMQSocket
  let control: ZMQSocket
  let stdin: ZMQSocket
  let iopub: ZMQSocket
  let heartbeat: ZMQSocket
  let sessionID = UUID().uuidString.lowercased()
  let log: (String) -> Void

  let state = NSLock()
  var interruptRequested = false
  var shuttingDown = false
  let iopubLock = NSLock()

  // Shell-thread state.
  let environment: StandardEnvironment
  lazy var session = Session(
    builtins: Builtins.standard(environment), write: { [unowned self] text in self.publishStream(text) },
    writeError: { [unowned self] text in self.publishStream(text, name: "stderr") },
    isCancelled: { [unowned self] in self.state.withLock { self.interruptRequested } })
  var executionCount = 0
  var history: [(count: Int, input: String)] = []
  /// The request whose cell is running: printed output is published as its child.
  var running: KernelMessage?
  /// The cell's updating display (training progress), once it has one.
  var liveDisplay: String?

  /// Binds the five channels of `info`; `log` hears what a kernel reports on its stderr
  /// (dropped messages, failures).
  public init(_ info: ConnectionInfo, log: @escaping (String) -> Void) throws {
    self.info = info
    self.log = log
    signer = MessageSigner(key: info.key)
    context = try ZMQContext()
    shell = try ZMQSocket(context, .router, bind: info.endpoint(info.shellPort))
    control = try ZMQSocket(context, .router, bind: info.endpoint(info.controlPort))
    stdin = try ZMQSocket(context, .router, bind: info.endpoint(info.stdinPort))
    iopub = try ZMQSocket(context, .publisher, bind: info.endpoint(info.iopubPort))
    heartbeat = try ZMQSocket(context, .reply, bind: info.endpoint(info.heartbeatPort))
    environment = StandardEnvironment(terminal: false)
    environment.collectImages = true
    environment.liveLine = { [unowned self] text in self.showLive(text) }
    environment.richDisplay = { [unowned self] text, html in self.showTable(text, html: html) }
  }

  var isShuttingDown: Bool { state.withLock { shuttingDown } }

  /// Serves until a shutdown request; returns whether a restart was asked for.
  @discardableResult
  public func run() -> Bool {
    let beat = Thread { [unowned self] in self.echoHeartbeats() }
    beat.start()
    let controlThread = Thread { [unowned self] in self.serve(self.control, channel: "control") }
    controlThread.start()
    publish("status", ["execution_state": "starting"], parent: nil)
    serve(shell, channel: "shell")
    return restartRequested
  }
  var restartRequested = false

  func echoHeartbeats() {
    while !isShuttingDown {
      guard heartbeat.poll(milliseconds: 100), let ping = heartbeat.receive() else { continue }
      try? heartbeat.send(ping)
    }
  }

  /// Reads and answers requests on `socket` until shutdown; a bad message is logged and dropped.
  func serve(_ socket: ZMQSocket, channel: String) {
    while !isShuttingDown {
      guard socket.poll(milliseconds: 100), let frames = socket.receive(), let message = checked(frames, channel: channel)
      else { continue }
      handle(message, on: socket, channel: channel)
    }
  }

  /// The message in `frames`, or nil (logged and dropped) when it is malformed or badly signed.
  func checked(_ frames: [[UInt8]], channel: String) -> KernelMessage? {
    let (message, problem) = KernelMessage.decode(frames, signer: signer)
    if message == nil { log("loom kernel: dropped \(problem ?? "a bad message") on \(channel)") }
    return message
  }

  /// Runs `body` between the busy and idle statuses the spec wants around every request.
  func busy(with request: KernelMessage, _ body: () -> Void) {
    publish("status", ["execution_state": "busy"], parent: request)
    body()
    publish("status", ["execution_state": "idle"], parent: request)
  }

  /// Sends a reply to `request` on the channel it came from.
  func reply(_ request: KernelMessage, on socket: ZMQSocket, type: String, _ content: JSONValue) {
    let frames = KernelMessage.frames(
      type: type, content: content, parent: request, identities: request.identities,
      session: sessionID, signer: signer)
    do { try socket.send(frames) } catch { log("loom kernel: \(error)") }
  }

  /// Publishes on IOPub (status, streams, results, errors), as a child of `parent`.
  func publish(_ type: String, _ content: JSONValue, parent: KernelMessage?) {
    let topic = Array("kernel.\(sessionID).\(type)".utf8)
    let frames = KernelMessage.frames(
      type: type, content: content, parent: parent, identities: [topic],
      session: sessionID, signer: signer)
    iopubLock.withLock {
      do { try iopub.send(frames) } catch { log("loom kernel: \(error)") }
    }
  }

  /// Draws `text` in the running cell's updating display: display_data the first time, then
  /// update_display_data with the same display_id (Jupyter messaging, "Update Display Data").
  func showLive(_ text: String) {
    guard let running, running.content["silent"]?.bool != true else { return }
    let id = liveDisplay ?? UUID().uuidString.lowercased()
    let content: JSONValue = ["data": ["text/plain": .string(text)], "metadata": [:], "transient": ["display_id": .string(id)]]
    publish(liveDisplay == nil ? "display_data" : "update_display_data", content, parent: running)
    liveDisplay = id
  }

  /// A table (`summary`) under the cell, as text/plain and text/html.
  func showTable(_ text: String, html: String) {
    guard let running, running.content["silent"]?.bool != true else { return }
    publish(
      "display_data", ["data": ["text/plain": .string(text), "text/html": .string(html)], "metadata": [:], "transient": [:]],
      parent: running)
  }

  func publishStream(_ text: String, name: String = "stdout") {
    guard !text.isEmpty, let running, running.content["silent"]?.bool != true else { return }
    publish("stream", ["name": .string(name), "text": .string(text)], parent: running)
  }

  /// The request types this kernel answers, and how (KernelRequests).
  func handle(_ message: KernelMessage, on socket: ZMQSocket, channel: String) {
    busy(with: message) { respond(to: message, on: socket) }
  }

  func respond(to message: KernelMessage, on socket: ZMQSocket) {
    switch message.type {
    case "kernel_info_request": reply(message, on: socket, type: "kernel_info_reply", kernelInfo)
    case "execute_request": execute(message, on: socket)
    case "complete_request": reply(message, on: socket, type: "complete_reply", complete(message.content))
    case "inspect_request": reply(message, on: socket, type: "inspect_reply", inspect(message.content))
    case "is_complete_request": reply(message, on: socket, type: "is_complete_reply", isComplete(message.content))
    case "history_request": reply(message, on: socket, type: "history_reply", historyReply(message.content))
    case "comm_info_request": reply(message, on: socket, type: "comm_info_reply", ["status": "ok", "comms": [:]])
    case "interrupt_request":
      state.withLock { interruptRequested = true }
      reply(message, on: socket, type: "interrupt_reply", ["status": "ok"])
    case "shutdown_request":
      let restart = message.content["restart"]?.bool ?? false
      reply(message, on: socket, type: "shutdown_reply", ["status": "ok", "restart": .bool(restart)])
      state.withLock {
        shuttingDown = true
        interruptRequested = true  // a running cell stops after its batch
      }
      restartRequested = restart
    default:
      // A request it does not know gets the protocol's error reply, not silence.
      let type = message.type
      log("loom kernel: no handler for '\(type)'")
      if type.hasSuffix("_request") {
        reply(
          message, on: socket, type: String(type.dropLast("_request".count)) + "_reply",
          [
            "status": "error", "ename": "UnknownMessageType", "evalue": .string("Loom's kernel does not handle '\(type)'"),
            "traceback": [],
          ])
      }
    }
  }
}
