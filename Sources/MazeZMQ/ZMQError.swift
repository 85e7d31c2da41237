import CZMQ

/// A failed libzmq call: which operation failed, the `errno` it reported and libzmq's text for it.
///
/// Every libzmq failure surfaces as this one type so that callers can log it uniformly and
/// branch on `code` (e.g. `ETERM` after the context was shut down) where they need to.
public struct ZMQError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operation that failed, e.g. `zmq_bind(tcp://127.0.0.1:7000)`.
    public let operation: String
    /// The `errno` value libzmq reported.
    public let code: Int32
    /// `zmq_strerror(code)`: the system's or libzmq's description of `code`.
    public let message: String

    /// Wraps an explicit error code, taking its text from `zmq_strerror`.
    public init(operation: String, code: Int32) {
        self.operation = operation
        self.code = code
        self.message = String(cString: zmq_strerror(code))
    }

    /// `true` when the context was terminated or shut down: the socket must be closed, not retried.
    public var isContextTerminated: Bool { code == ETERM }

    public var description: String { "\(operation) failed: \(message) (errno \(code))" }

    /// The error libzmq recorded for the calling thread's most recent failed call.
    static func last(_ operation: @autoclosure () -> String) -> ZMQError {
        ZMQError(operation: operation(), code: zmq_errno())
    }
}

/// Calls `body` until it stops failing with `EINTR` (a signal interrupted a blocking call) and returns its result.
///
/// libzmq reports interrupted blocking calls as `-1`/`EINTR`; retrying is always correct for them.
@inline(__always)
func retryingOnInterrupt(_ body: () -> Int32) -> Int32 {
    var result: Int32
    repeat {
        result = body()
    } while result == -1 && zmq_errno() == EINTR
    return result
}
