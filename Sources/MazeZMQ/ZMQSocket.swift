import CZMQ

/// A libzmq socket of one `SocketType`, made in a `ZMQContext`.
///
/// libzmq sockets are not thread-safe, so this type is deliberately not `Sendable`: make a socket
/// on the thread that uses it. The socket is closed by `close()` or, at the latest, when it is
/// released; closing waits at most the linger period (see `ZMQContext.defaultLinger`) in the
/// background, never in the caller. Every operation on a closed socket throws `ENOTSOCK`.
public final class ZMQSocket {
    /// The messaging pattern of this socket.
    public let type: SocketType
    /// Kept so that the context outlives its sockets: terminating it with open sockets would hang.
    let context: ZMQContext
    private var handle: UnsafeMutableRawPointer?

    /// Makes a socket of `type` in `context`, with the context's default linger period.
    public init(_ type: SocketType, in context: ZMQContext) throws {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZMQError.last("zmq_socket(\(type))")
        }
        self.type = type
        self.context = context
        self.handle = handle
        try set(.linger, context.defaultLinger)
    }

    deinit {
        close()
    }

    /// Closes the socket now; pending outbound messages are flushed in the background for up to the linger period.
    public func close() {
        guard let handle else { return }
        zmq_close(handle)
        self.handle = nil
    }

    /// Whether `close()` has not been called yet.
    public var isOpen: Bool { handle != nil }

    /// The libzmq socket, or `ENOTSOCK` naming `operation` when the socket has been closed.
    func openHandle(for operation: @autoclosure () -> String) throws -> UnsafeMutableRawPointer {
        guard let handle else { throw ZMQError(operation: operation(), code: ENOTSOCK) }
        return handle
    }

    // MARK: Endpoints

    /// Accepts connections on `endpoint`, e.g. `tcp://127.0.0.1:*` (any free port; see `lastEndpoint`).
    public func bind(_ endpoint: String) throws {
        try callEndpointFunction(zmq_bind, "zmq_bind", endpoint)
    }

    /// Connects to `endpoint`; libzmq connects in the background and reconnects when the peer goes away.
    public func connect(_ endpoint: String) throws {
        try callEndpointFunction(zmq_connect, "zmq_connect", endpoint)
    }

    /// Stops accepting connections on an endpoint given to `bind` (use the resolved `lastEndpoint` for wildcards).
    public func unbind(_ endpoint: String) throws {
        try callEndpointFunction(zmq_unbind, "zmq_unbind", endpoint)
    }

    /// Drops the connection made by `connect(endpoint)`.
    public func disconnect(_ endpoint: String) throws {
        try callEndpointFunction(zmq_disconnect, "zmq_disconnect", endpoint)
    }

    private func callEndpointFunction(
        _ function: (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32,
        _ name: String,
        _ endpoint: String
    ) throws {
        let handle = try openHandle(for: "\(name)(\(endpoint))")
        guard function(handle, endpoint) == 0 else { throw ZMQError.last("\(name)(\(endpoint))") }
    }

    /// The endpoint most recently bound or connected, with wildcards resolved (e.g. the port chosen for `:*`).
    public var lastEndpoint: String {
        get throws {
            let bytes = try readRawOption(ZMQ_LAST_ENDPOINT, "ZMQ_LAST_ENDPOINT", capacity: 1024)
            return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    // MARK: Options

    /// Sets a socket option, e.g. `try socket.set(.receiveHighWaterMark, 100)`.
    public func set<Value>(_ option: SocketOption<Value>, _ value: Value) throws {
        let operation = "zmq_setsockopt(\(option.name))"
        let handle = try openHandle(for: operation)
        guard let raw = option.encode(value) else {
            throw ZMQError(operation: "\(operation) with out-of-range value \(String(describing: value))", code: EINVAL)
        }
        let result: Int32
        switch raw {
        case .int32(var number):
            result = zmq_setsockopt(handle, option.code, &number, MemoryLayout<Int32>.size)
        case .int64(var number):
            result = zmq_setsockopt(handle, option.code, &number, MemoryLayout<Int64>.size)
        case .bytes(let bytes):
            result = bytes.withUnsafeBytes { zmq_setsockopt(handle, option.code, $0.baseAddress, $0.count) }
        }
        guard result == 0 else { throw ZMQError.last(operation) }
    }

    /// Reads a socket option back, e.g. `try socket.get(.linger)`.
    public func get<Value>(_ option: SocketOption<Value>) throws -> Value {
        let operation = "zmq_getsockopt(\(option.name))"
        let handle = try openHandle(for: operation)
        switch option.representation {
        case .int32:
            var number: Int32 = 0
            var size = MemoryLayout<Int32>.size
            guard zmq_getsockopt(handle, option.code, &number, &size) == 0 else { throw ZMQError.last(operation) }
            return option.decode(.int32(number))
        case .int64:
            var number: Int64 = 0
            var size = MemoryLayout<Int64>.size
            guard zmq_getsockopt(handle, option.code, &number, &size) == 0 else { throw ZMQError.last(operation) }
            return option.decode(.int64(number))
        case .bytes(let capacity):
            return option.decode(.bytes(try readRawOption(option.code, option.name, capacity: capacity)))
        }
    }

    /// Sets an option whose value is a byte string (subscriptions, CURVE keys).
    func setRawOption(_ code: Int32, _ name: String, _ bytes: some Collection<UInt8>) throws {
        let operation = "zmq_setsockopt(\(name))"
        let handle = try openHandle(for: operation)
        let result = Array(bytes).withUnsafeBytes { zmq_setsockopt(handle, code, $0.baseAddress, $0.count) }
        guard result == 0 else { throw ZMQError.last(operation) }
    }

    private func readRawOption(_ code: Int32, _ name: String, capacity: Int) throws -> [UInt8] {
        let operation = "zmq_getsockopt(\(name))"
        let handle = try openHandle(for: operation)
        var buffer = [UInt8](repeating: 0, count: capacity)
        var size = capacity
        guard zmq_getsockopt(handle, code, &buffer, &size) == 0 else { throw ZMQError.last(operation) }
        return Array(buffer.prefix(size))
    }

    /// Makes a SUB socket receive messages whose first frame starts with `prefix` (empty: everything).
    public func subscribe(to prefix: some Collection<UInt8> = [UInt8]()) throws {
        try setRawOption(ZMQ_SUBSCRIBE, "ZMQ_SUBSCRIBE", prefix)
    }

    /// Removes one earlier `subscribe(to: prefix)`.
    public func unsubscribe(from prefix: some Collection<UInt8> = [UInt8]()) throws {
        try setRawOption(ZMQ_UNSUBSCRIBE, "ZMQ_UNSUBSCRIBE", prefix)
    }
}

/// Sockets must not be shared between threads: libzmq sockets are not thread-safe.
@available(*, unavailable)
extension ZMQSocket: Sendable {}
