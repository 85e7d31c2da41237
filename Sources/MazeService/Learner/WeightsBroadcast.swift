import MazeWire
import MazeZMQ

/// The learner's end of the broadcasting container channel: publishes versioned `PolicyUpdate`s on XPUB.
///
/// An update whose experiment, version and stop flag equal the last one is not sent again, so a caller may
/// publish after every step without flooding actors. The latest update is kept for actors that join later
/// and ask for it over control (`CurrentWeightsRequest`). The socket is an XPUB rather than a PUB so that
/// whatever a peer writes to it reaches `drainInbound`, where it is dropped and counted like hostile frames
/// on the other sockets; a PUB would discard it unseen. It is in manual mode (`ZMQ_XPUB_MANUAL`): the only
/// subscription it keeps is the empty one actors make (everything), so peers cannot make the broadcast filter
/// store arbitrary prefixes; any other subscription is dropped and counted.
///
/// libzmq still records every prefix a peer subscribes to, manual mode or not, until that peer disconnects
/// (about 100 bytes of trie per prefix byte), and an XPUB cannot drop one peer. So inbound frames are limited to
/// `maxInboundBytes` (a subscription to everything is 1 byte, a CURVE handshake a few hundred), libzmq reads at
/// most `queuedSubscriptionsPerPeer` ahead of this class, and once the unwanted subscriptions read since the
/// socket was bound exceed `unwantedSubscriptionBytesLimit` bytes, the socket is unbound and bound again
/// (`recycles`), which frees them; actors resubscribe by themselves and fetch what they missed over control
/// when the learner's heartbeat shows a newer version.
public final class WeightsPublisher {
    let socket: ZMQSocket
    private let limits: DecodeLimits
    private let inbound = ZMQMessage()
    /// The newest update published, for joiners.
    public private(set) var latest: PolicyUpdate?
    /// Updates actually sent (skipped repeats not counted).
    private(set) var publishedCount = 0
    /// Frames peers sent that were not subscriptions, by reason.
    private(set) var rejections: [RejectionReason: Int] = [:]
    /// How often too many unwanted subscriptions made the socket be bound again.
    private(set) var recycles = 0
    /// Bytes of unwanted subscriptions libzmq may still hold: read since the socket was last bound.
    private var unwantedSubscriptionBytes = 0
    /// The unwanted subscription bytes after which the socket is bound again.
    var unwantedSubscriptionBytesLimit = 1 << 20
    /// Receives one line the first time the socket is rebound for unwanted subscriptions.
    var log: ((String) -> Void)?
    /// libzmq's limit on one inbound frame (`ZMQ_MAXMSGSIZE`): a peer sending more is disconnected.
    static var maxInboundBytes: Int { 1 << 10 }
    /// Subscriptions libzmq reads ahead from each peer before `drainInbound` sees them (`ZMQ_RCVHWM`), so that
    /// the prefixes it holds exceed the limit by little; an actor sends one.
    static var queuedSubscriptionsPerPeer: Int { 16 }

    /// Binds an XPUB socket on `endpoint`.
    public init(bindingTo endpoint: String, security: ServerSecurity, in context: ZMQContext) throws {
        socket = try ServiceSockets.bind(
            .xpub, endpoint, security: security, maxFrameBytes: Self.maxInboundBytes, in: context
        ) {
            try $0.set(.xpubManual, true)
            try $0.set(.receiveHighWaterMark, Self.queuedSubscriptionsPerPeer)
        }
        limits = DecodeLimits(maxFrameBytes: Self.maxInboundBytes / 2)
    }

    /// Sends `update` unless it repeats the latest one; returns whether it was sent.
    @discardableResult
    public func publish(_ update: PolicyUpdate) throws -> Bool {
        if let latest, latest.experimentID == update.experimentID, latest.version == update.version,
            latest.stop == update.stop
        {
            return false
        }
        try socket.send(try WireMessage.policyUpdate(update).zmqMessage())
        latest = update
        publishedCount += 1
        return true
    }

    /// Reads what peers sent to the weights socket, at most `maxFrames` frames: subscriptions (one frame
    /// starting with byte 1, or 0 to unsubscribe) are applied or refused (`apply`); anything else is dropped and
    /// counted, since subscribers have nothing to say here. Binds the socket again once the unwanted
    /// subscriptions read exceed their limit. Returns how many frames were read.
    @discardableResult
    public func drainInbound(maxFrames: Int = 1_024) throws -> Int {
        var read = 0
        while read < maxFrames, unwantedSubscriptionBytes <= unwantedSubscriptionBytesLimit,
            try socket.receive(into: inbound, .nonBlocking)
        {
            read += 1
            if inbound.hasMoreFrames {
                rejections[.unexpectedFrames, default: 0] += 1
                try socket.discardRemainingFrames(after: inbound)
                continue
            }
            if isSubscription(inbound) {
                try apply(inbound)
                continue
            }
            switch inbound.decodeWireMessage(limits: limits) {
            case .failure(let error): rejections[RejectionReason(error), default: 0] += 1
            case .success: rejections[.wrongMessageType, default: 0] += 1
            }
        }
        if unwantedSubscriptionBytes > unwantedSubscriptionBytesLimit {
            try rebind()
            recycles += 1
            if recycles == 1 {
                log?(
                    "more than \(unwantedSubscriptionBytesLimit >> 10) KiB of unwanted subscriptions on the weights "
                        + "socket: rebound it to free them; actors resubscribe (logged once, counted in "
                        + "maze_socket_recycles_total)")
            }
        }
        return read
    }

    /// Drops every subscriber with the prefixes libzmq kept for it (`rebindDroppingConnections`); subscribers
    /// reconnect and subscribe again by themselves.
    func rebind() throws {
        try socket.rebindDroppingConnections()
        unwantedSubscriptionBytes = 0
    }

    /// Applies the empty (everything) subscription or unsubscription to the peer it came from; counts and
    /// drops a subscription to any other prefix. Unsubscriptions from other prefixes store nothing and are
    /// ignored: libzmq also reports one for every prefix a peer had subscribed to when it disconnects.
    private func apply(_ subscription: ZMQMessage) throws {
        let subscribes = subscription.withUnsafeBytes { $0[0] } == 1
        guard subscription.count == 1 else {
            if subscribes {
                rejections[.unwantedSubscription, default: 0] += 1
                unwantedSubscriptionBytes += subscription.count
            }
            return
        }
        if subscribes { try socket.subscribe() } else { try socket.unsubscribe() }
    }

    private func isSubscription(_ frame: ZMQMessage) -> Bool {
        frame.withUnsafeBytes { bytes in bytes.first.map { $0 <= 1 } ?? false }
    }
}

/// An actor's end of the broadcasting container channel: a SUB that hands out only the newest update, and only
/// when its version (or experiment, or stop flag) changed.
///
/// Each `poll` drains everything queued and keeps the newest update. libzmq's own `ZMQ_CONFLATE` would do this
/// inside the socket, but on a SUB it loses updates in practice (it does not reliably wake readers or renew
/// subscriptions after reconnecting), and a lost stop flag would leave an actor working forever; a small
/// receive high-water mark bounds memory instead.
public final class WeightsSubscriber {
    let socket: ZMQSocket
    private let limits: DecodeLimits
    private let message = ZMQMessage()
    /// The last update handed out.
    public private(set) var current: PolicyUpdate?
    /// How many times a new version was handed out.
    private(set) var versionChanges = 0
    /// Frames that were not a valid `PolicyUpdate`.
    private(set) var rejectedFrames = 0

    /// Connects a SUB to `endpoint` that buffers at most `queuedUpdates` updates between polls.
    public init(
        connectingTo endpoint: String, security: ClientSecurity, limits: DecodeLimits = .standard,
        queuedUpdates: Int = 64,
        in context: ZMQContext
    ) throws {
        socket = try ServiceSockets.connect(
            .sub, endpoint, security: security, maxFrameBytes: limits.maxFrameBytes, in: context
        ) {
            try $0.set(.receiveHighWaterMark, queuedUpdates)
            try $0.subscribe()
        }
        self.limits = limits
    }

    /// Remembers `update` (e.g. one fetched over control) so the same version on the channel is not reported again.
    func adopt(_ update: PolicyUpdate) {
        if isNew(update) {
            current = update
            versionChanges += 1
        }
    }

    /// The newest of the updates that arrived (waiting up to `timeout` for the first) if it differs from the
    /// current one, else `nil`.
    public func poll(timeout: Duration = .zero) throws -> PolicyUpdate? {
        var newest: PolicyUpdate?
        var mode: ReceiveMode = timeout == .zero ? .nonBlocking : .timeout(timeout)
        while try socket.receive(into: message, mode) {
            mode = .nonBlocking
            guard case .success(.policyUpdate(let update)) = message.decodeWireMessage(limits: limits) else {
                rejectedFrames += 1
                continue
            }
            newest = update
        }
        guard let newest, isNew(newest) else { return nil }
        current = newest
        versionChanges += 1
        return newest
    }

    private func isNew(_ update: PolicyUpdate) -> Bool {
        guard let current else { return true }
        return current.experimentID != update.experimentID || current.version != update.version
            || current.stop != update.stop
    }
}
