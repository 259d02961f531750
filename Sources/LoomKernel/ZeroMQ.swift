import CZMQ
import Foundation

/// The few ZeroMQ calls a kernel needs, over libzmq's C API: a context, sockets that bind,
/// multipart send and receive, and a poll. A socket is used by one thread at a time (libzmq's
/// rule); the kernel serialises the IOPub socket, which several threads publish on, with a lock.
final class ZMQContext: @unchecked Sendable {
  let handle: UnsafeMutableRawPointer

  init() throws {
    guard let handle = zmq_ctx_new() else { throw KernelError("zmq_ctx_new failed: \(ZMQSocket.lastError)") }
    self.handle = handle
  }

  deinit { zmq_ctx_term(handle) }
}

final class ZMQSocket: @unchecked Sendable {
  enum Kind {
    case router, publisher, reply

    var value: Int32 {
      switch self {
      case .router: return ZMQ_ROUTER
      case .publisher: return ZMQ_PUB
      case .reply: return ZMQ_REP
      }
    }
  }

  let handle: UnsafeMutableRawPointer
  let endpoint: String

  init(_ context: ZMQContext, _ kind: Kind, bind endpoint: String) throws {
    guard let handle = zmq_socket(context.handle, kind.value) else {
      throw KernelError("cannot create a ZeroMQ socket: \(Self.lastError)")
    }
    self.handle = handle
    self.endpoint = endpoint
    var linger: Int32 = 0  // a closing kernel does not wait for unread messages
    zmq_setsockopt(handle, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
    guard zmq_bind(handle, endpoint) == 0 else {
      let reason = Self.lastError
      zmq_close(handle)
      throw KernelError("cannot listen on \(endpoint): \(reason)")
    }
  }

  deinit { zmq_close(handle) }

  static var lastError: String { String(cString: zmq_strerror(zmq_errno())) }

  /// Sends the frames as one multipart message.
  func send(_ frames: [[UInt8]]) throws {
    for (index, frame) in frames.enumerated() {
      let flags: Int32 = index < frames.count - 1 ? ZMQ_SNDMORE : 0
      let sent = frame.withUnsafeBytes { raw in zmq_send(handle, raw.baseAddress, raw.count, flags) }
      guard sent >= 0 else { throw KernelError("sending on \(endpoint) failed: \(Self.lastError)") }
    }
  }

  /// Receives one multipart message; nil when the wait was interrupted (EINTR) or the
  /// context is closing.
  func receive() -> [[UInt8]]? {
    var frames: [[UInt8]] = []
    while true {
      var message = zmq_msg_t()
      zmq_msg_init(&message)
      defer { zmq_msg_close(&message) }
      guard zmq_msg_recv(&message, handle, 0) >= 0 else { return nil }
      let size = zmq_msg_size(&message)
      if size > 0, let data = zmq_msg_data(&message) {
        frames.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
      } else {
        frames.append([])
      }
      if zmq_msg_more(&message) == 0 { return frames }
    }
  }

  /// Whether a message is waiting, after up to `milliseconds` (−1: wait forever).
  func poll(milliseconds: Int) -> Bool {
    var item = zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
    let ready = zmq_poll(&item, 1, milliseconds)
    return ready > 0 && (item.revents & Int16(ZMQ_POLLIN)) != 0
  }
}
