import CZMQ
import Foundation

/// One message frame owned by libzmq (`zmq_msg_t`), readable in place without copying.
///
/// A received message's body stays in the buffer libzmq decoded it into; `withUnsafeBytes`
/// exposes it directly. For sending, `init(takingMallocBuffer:count:)` hands a `malloc`'d buffer
/// (e.g. an encoder's output) to libzmq, which frees it once it has been written out; the bytes
/// are never copied. Sending empties the message. Like sockets, a message is not thread-safe;
/// it may be handed from one thread to another, never used by two at once.
public final class ZMQMessage {
    let pointer: UnsafeMutablePointer<zmq_msg_t>

    /// An empty message, e.g. to be filled by `ZMQSocket.receive(into:)`.
    public init() {
        pointer = .allocate(capacity: 1)
        zmq_msg_init(pointer)
    }

    /// A message holding a copy of `bytes`.
    public init(copying bytes: some ContiguousBytes) throws {
        // Fallible work happens before `pointer` is stored: a throwing init of a fully
        // initialized object would run deinit on a message that was never initialized.
        let message = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: 1)
        try bytes.withUnsafeBytes { source in
            guard zmq_msg_init_size(message, source.count) == 0 else {
                let error = ZMQError.last("zmq_msg_init_size(\(source.count))")
                message.deallocate()
                throw error
            }
            if let base = source.baseAddress, source.count > 0 {
                zmq_msg_data(message).copyMemory(from: base, byteCount: source.count)
            }
        }
        pointer = message
    }

    /// A message that takes ownership of `count` bytes at `buffer`, which was allocated with `malloc`.
    ///
    /// libzmq calls `free(buffer)` exactly once, when it no longer needs the bytes (after sending,
    /// or when the message is released unsent). The caller must not touch `buffer` afterwards,
    /// also when this initializer throws: the buffer has been freed by then.
    public convenience init(takingMallocBuffer buffer: UnsafeMutableRawPointer, count: Int) throws {
        try self.init(takingBuffer: buffer, count: count, freeFunction: { data, _ in free(data) }, hint: nil)
    }

    /// A message that takes ownership of `count` bytes at `buffer` and calls `release(buffer)` once done.
    ///
    /// `release` may run on a libzmq I/O thread, hence `@Sendable`. Prefer the `malloc` variant,
    /// which avoids boxing the closure.
    public convenience init(
        takingBuffer buffer: UnsafeMutableRawPointer,
        count: Int,
        release: @escaping @Sendable (UnsafeMutableRawPointer) -> Void
    ) throws {
        let box = Unmanaged.passRetained(ReleaseBox(release)).toOpaque()
        try self.init(
            takingBuffer: buffer, count: count,
            freeFunction: { data, hint in
                guard let data, let hint else { return }
                Unmanaged<ReleaseBox>.fromOpaque(hint).takeRetainedValue().release(data)
            }, hint: box)
    }

    private init(
        takingBuffer buffer: UnsafeMutableRawPointer,
        count: Int,
        freeFunction: @escaping @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void,
        hint: UnsafeMutableRawPointer?
    ) throws {
        let message = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: 1)
        guard count >= 0, zmq_msg_init_data(message, buffer, count, freeFunction, hint) == 0 else {
            let error =
                count < 0
                ? ZMQError(operation: "zmq_msg_init_data(count: \(count))", code: EINVAL)
                : ZMQError.last("zmq_msg_init_data(count: \(count))")
            freeFunction(buffer, hint)
            message.deallocate()
            throw error
        }
        pointer = message
    }

    deinit {
        zmq_msg_close(pointer)
        pointer.deallocate()
    }

    /// The size of the body in bytes.
    public var count: Int { zmq_msg_size(pointer) }

    /// `true` if this frame was received with more frames of the same multipart message following it.
    public var hasMoreFrames: Bool { zmq_msg_more(pointer) == 1 }

    /// Calls `body` with the message body in place; the pointer is valid only during the call.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: zmq_msg_data(pointer), count: count))
    }

    /// A copy of the body.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// A metadata property of a received message (`zmq_msg_gets`), or `nil` when the connection has none. With
    /// CURVE and a ZAP handler, `"User-Id"` is the user id the handler admitted the peer as; the service's
    /// `ZAPAuthenticator` answers with the client's Z85 public key, so this names the key that sent the message.
    public func property(_ name: String) -> String? {
        guard let value = zmq_msg_gets(pointer, name) else { return nil }
        return String(cString: value)
    }

    /// The sender's `User-Id` (its Z85 CURVE public key under the service's ZAP handler), or `nil` on a
    /// connection without one (plaintext): the key that control and trajectory messages are attributed to.
    public var userID: String? {
        property("User-Id").flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Carries a release closure through libzmq's `void *hint` argument.
private final class ReleaseBox {
    let release: @Sendable (UnsafeMutableRawPointer) -> Void

    init(_ release: @escaping @Sendable (UnsafeMutableRawPointer) -> Void) {
        self.release = release
    }
}
