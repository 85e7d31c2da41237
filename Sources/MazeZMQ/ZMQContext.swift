import CZMQ

/// A libzmq context: the I/O threads and the namespace of `inproc://` endpoints that sockets share.
///
/// libzmq makes contexts thread-safe, so one context is shared by every thread of a process.
/// Each socket keeps its context alive, so the context is terminated only after its last socket
/// has been closed. Termination waits for each socket's linger period to flush pending outbound
/// messages; sockets made here start with `defaultLinger` (100 ms unless told otherwise) instead of
/// libzmq's "wait forever", so releasing the context never hangs on a peer that went away.
public final class ZMQContext: @unchecked Sendable {
    // @unchecked: the handle is only passed to libzmq functions documented as thread-safe
    // (zmq_socket, zmq_ctx_shutdown, zmq_ctx_term); it never changes after init.
    let handle: UnsafeMutableRawPointer

    /// The linger period given to every socket made in this context; `nil` means wait forever.
    public let defaultLinger: Duration?

    /// Makes a context with `ioThreads` background I/O threads (one handles about a gigabyte per second).
    public init(ioThreads: Int = 1, defaultLinger: Duration? = .milliseconds(100)) throws {
        guard let handle = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
        if zmq_ctx_set(handle, ZMQ_IO_THREADS, Int32(clamping: ioThreads)) != 0 {
            let error = ZMQError.last("zmq_ctx_set(ZMQ_IO_THREADS, \(ioThreads))")
            zmq_ctx_term(handle)
            throw error
        }
        self.handle = handle
        self.defaultLinger = defaultLinger
    }

    /// Makes every blocking call on this context's sockets, in any thread, fail with `ETERM`.
    ///
    /// Use it to stop threads blocked in `receive`; they must then close their sockets.
    public func shutdown() {
        zmq_ctx_shutdown(handle)
    }

    deinit {
        _ = retryingOnInterrupt { zmq_ctx_term(handle) }
    }
}
