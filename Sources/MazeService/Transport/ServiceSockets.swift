import MazeWire
import MazeZMQ

/// Socket settings shared by the learner's and actors' sockets.
enum ServiceSockets {
    /// The inbound limit of an actor's PUSH socket, which receives no messages, only protocol traffic (handshakes).
    static let maxProtocolOnlyBytes = 64 << 10

    /// A learner socket of `type` bound to `endpoint` with CURVE (when configured) and an inbound size limit.
    static func bind(
        _ type: SocketType, _ endpoint: String, security: ServerSecurity, maxFrameBytes: Int?, in context: ZMQContext,
        configure: (ZMQSocket) throws -> Void = { _ in }
    ) throws -> ZMQSocket {
        let socket = try make(type, maxFrameBytes: maxFrameBytes, in: context) { socket in
            try security.configure(socket)
            try configure(socket)
        }
        try socket.bind(endpoint)
        return socket
    }

    /// An actor or client socket of `type` connected to `endpoint`; reconnects quickly after a learner restart.
    static func connect(
        _ type: SocketType, _ endpoint: String, security: ClientSecurity, maxFrameBytes: Int?, in context: ZMQContext,
        configure: (ZMQSocket) throws -> Void = { _ in }
    ) throws -> ZMQSocket {
        let socket = try make(type, maxFrameBytes: maxFrameBytes, in: context) { socket in
            try security.configure(socket)
            try socket.set(.reconnectInterval, .milliseconds(100))
            try socket.set(.reconnectIntervalMax, .seconds(2))
            try configure(socket)
        }
        try socket.connect(endpoint)
        return socket
    }

    private static func make(
        _ type: SocketType, maxFrameBytes: Int?, in context: ZMQContext, configure: (ZMQSocket) throws -> Void
    ) throws -> ZMQSocket {
        let socket = try ZMQSocket(type, in: context)
        try socket.set(.maxMessageSize, maxFrameBytes)
        try configure(socket)
        return socket
    }
}

extension ZMQSocket {
    /// Reads and drops the rest of the multipart message whose frame `message` holds.
    func discardRemainingFrames(after message: ZMQMessage) throws {
        while message.hasMoreFrames, try receive(into: message, .nonBlocking) {}
    }
}

extension ZMQMessage {
    /// The frame decoded as a protocol message within `limits`, or why it is not one.
    func decodeWireMessage(limits: DecodeLimits) -> Result<WireMessage, WireError> {
        withUnsafeBytes { bytes in Result { () throws(WireError) in try WireMessage.decode(bytes, limits: limits) } }
    }

    /// `decodeWireMessage(limits:)` with the envelope's `request_id` / `in_reply_to`.
    func decodeCorrelatedWireMessage(limits: DecodeLimits) -> Result<
        (message: WireMessage, correlation: RequestCorrelation), WireError
    > {
        withUnsafeBytes { bytes in
            Result { () throws(WireError) in try WireMessage.decodeCorrelated(bytes, limits: limits) }
        }
    }
}

extension WireMessage {
    /// The encoded message as a libzmq message that owns the encoder's buffer: no copy on the way out.
    func zmqMessage(correlation: RequestCorrelation = RequestCorrelation()) throws -> ZMQMessage {
        let buffer = try encode(correlation: correlation).releaseBuffer()
        return try ZMQMessage(takingMallocBuffer: buffer.base, count: buffer.count)
    }
}
