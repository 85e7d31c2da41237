import CZMQ

// The socket options swift-maze uses, with libzmq's semantics summarized. Durations are
// passed to libzmq in its unit (milliseconds unless noted), rounded up.

extension SocketOption where Value == Int {
    /// `ZMQ_SNDHWM`: outbound messages queued per peer before sends block or fail (0 = unlimited).
    public static var sendHighWaterMark: Self { .int(ZMQ_SNDHWM, "ZMQ_SNDHWM") }
    /// `ZMQ_RCVHWM`: inbound messages queued per peer before libzmq stops reading from it (0 = unlimited).
    public static var receiveHighWaterMark: Self { .int(ZMQ_RCVHWM, "ZMQ_RCVHWM") }
}

extension SocketOption where Value == Int? {
    /// `ZMQ_TCP_KEEPALIVE_CNT`: unanswered keepalive probes before the connection is dropped (`nil` = system default).
    public static var tcpKeepaliveCount: Self { .optionalInt(ZMQ_TCP_KEEPALIVE_CNT, "ZMQ_TCP_KEEPALIVE_CNT") }

    /// `ZMQ_MAXMSGSIZE`: the largest inbound frame in bytes (`nil` = unlimited).
    ///
    /// A peer that sends a larger frame is disconnected before the frame is allocated, so an
    /// untrusted peer cannot make the process allocate arbitrary memory; the socket keeps working.
    public static var maxMessageSize: Self { .optionalInt64(ZMQ_MAXMSGSIZE, "ZMQ_MAXMSGSIZE") }
}

extension SocketOption where Value == Bool {
    /// `ZMQ_CONFLATE`: keep only the newest inbound/outbound message (single-part messages only).
    public static var conflate: Self { .flag(ZMQ_CONFLATE, "ZMQ_CONFLATE") }
    /// `ZMQ_IMMEDIATE`: queue messages only to completed connections, never to ones still connecting.
    public static var immediate: Self { .flag(ZMQ_IMMEDIATE, "ZMQ_IMMEDIATE") }
    /// `ZMQ_ROUTER_MANDATORY`: a ROUTER fails with `EHOSTUNREACH` instead of silently dropping unroutable messages.
    public static var routerMandatory: Self { .flag(ZMQ_ROUTER_MANDATORY, "ZMQ_ROUTER_MANDATORY") }
    /// `ZMQ_XPUB_MANUAL`: an XPUB stores no subscription by itself; the application reads each one and applies
    /// the ones it accepts with `subscribe(to:)` (to the peer it last read from).
    public static var xpubManual: Self { .flag(ZMQ_XPUB_MANUAL, "ZMQ_XPUB_MANUAL") }
    /// `ZMQ_CURVE_SERVER` (read back): whether the socket acts as a CURVE server.
    public static var curveServer: Self { .flag(ZMQ_CURVE_SERVER, "ZMQ_CURVE_SERVER") }
}

extension SocketOption where Value == Bool? {
    /// `ZMQ_TCP_KEEPALIVE`: TCP keepalive on or off (`nil` = system default).
    public static var tcpKeepalive: Self { .optionalFlag(ZMQ_TCP_KEEPALIVE, "ZMQ_TCP_KEEPALIVE") }
}

extension SocketOption where Value == Duration {
    /// `ZMQ_RECONNECT_IVL_MAX`: the ceiling of exponential reconnect back-off (zero = no back-off).
    public static var reconnectIntervalMax: Self { .duration(ZMQ_RECONNECT_IVL_MAX, "ZMQ_RECONNECT_IVL_MAX") }
    /// `ZMQ_HEARTBEAT_IVL`: interval of ZMTP PING frames (zero = no heartbeats).
    public static var heartbeatInterval: Self { .duration(ZMQ_HEARTBEAT_IVL, "ZMQ_HEARTBEAT_IVL") }
    /// `ZMQ_HEARTBEAT_TIMEOUT`: how long to wait for traffic after a PING before dropping the connection.
    public static var heartbeatTimeout: Self { .duration(ZMQ_HEARTBEAT_TIMEOUT, "ZMQ_HEARTBEAT_TIMEOUT") }
    /// `ZMQ_HEARTBEAT_TTL`: asks the peer to drop the connection after this silence (libzmq keeps tenths of a second).
    public static var heartbeatTimeToLive: Self { .duration(ZMQ_HEARTBEAT_TTL, "ZMQ_HEARTBEAT_TTL") }
}

extension SocketOption where Value == Duration? {
    /// `ZMQ_LINGER`: how long close/termination waits to flush pending outbound messages (`nil` = forever).
    public static var linger: Self { .optionalDuration(ZMQ_LINGER, "ZMQ_LINGER") }
    /// `ZMQ_RECONNECT_IVL`: delay before reconnecting a dropped connection (`nil` = never reconnect).
    public static var reconnectInterval: Self { .optionalDuration(ZMQ_RECONNECT_IVL, "ZMQ_RECONNECT_IVL") }
    /// `ZMQ_SNDTIMEO`: how long a blocking send waits before reporting "would block" (`nil` = forever).
    public static var sendTimeout: Self { .optionalDuration(ZMQ_SNDTIMEO, "ZMQ_SNDTIMEO") }
    /// `ZMQ_RCVTIMEO`: how long a blocking receive waits before reporting "nothing yet" (`nil` = forever).
    public static var receiveTimeout: Self { .optionalDuration(ZMQ_RCVTIMEO, "ZMQ_RCVTIMEO") }
    /// `ZMQ_TCP_KEEPALIVE_IDLE`: idle time before the first keepalive probe, whole seconds (`nil` = system default).
    public static var tcpKeepaliveIdle: Self {
        .optionalDuration(ZMQ_TCP_KEEPALIVE_IDLE, "ZMQ_TCP_KEEPALIVE_IDLE", unit: .seconds(1))
    }
    /// `ZMQ_TCP_KEEPALIVE_INTVL`: time between keepalive probes, whole seconds (`nil` = system default).
    public static var tcpKeepaliveInterval: Self {
        .optionalDuration(ZMQ_TCP_KEEPALIVE_INTVL, "ZMQ_TCP_KEEPALIVE_INTVL", unit: .seconds(1))
    }
}

extension SocketOption where Value == [UInt8] {
    /// `ZMQ_ROUTING_ID`: the identity a ROUTER peer sees for this socket (1–255 bytes, not starting with 0).
    public static var routingID: Self { .bytes(ZMQ_ROUTING_ID, "ZMQ_ROUTING_ID", capacity: 255) }
}
