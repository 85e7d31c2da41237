import Foundation
import MazeWire
import MazeZMQ

/// A peer on the control socket: the routing envelope its reply must carry, and the request it is answered for.
struct ControlPeer: Sendable, Hashable {
    /// All frames before the payload: the routing id, plus the empty delimiter that REQ clients add.
    let envelope: [[UInt8]]
    /// The `request_id` of the request being answered, which the reply names as `in_reply_to`.
    var requestID: UInt64? = nil

    /// The same peer, for messages it did not ask for (no `in_reply_to`).
    var unsolicited: ControlPeer { ControlPeer(envelope: envelope) }
}

/// An actor worker the learner has heard from.
struct ActorRecord: Sendable, Equatable {
    let workerID: String
    let host: String
    let processID: UInt64
    let keyFingerprint: String
    /// The Z85 CURVE key the registration arrived with (`nil` on plaintext): the only key its batches
    /// are accepted from.
    let senderKey: String?
    let peer: ControlPeer
    /// When the worker was last heard from.
    var lastSeen: ContinuousClock.Instant
    var envStepsPerSecond: Double = 0
    /// The batches the worker says it has pushed.
    var batchesSent: UInt64 = 0
    /// Why the worker cannot work on its assigned experiment, as its latest heartbeat says; `nil` when it can.
    var assignmentFailure: AssignmentFailure?
}

/// The learner's control socket (ROUTER): decodes requests, keeps the actor registry and liveness, and
/// answers malformed frames with an `Error` reply when it can address the sender.
///
/// `Register` and `Heartbeat` update the registry before they are handed to the caller, which answers
/// every request with `reply(to:_:)`. Requests the sender's key role does not permit, and `Register` or
/// `Heartbeat` for a worker id that belongs to another live connection, are refused here and counted: a worker
/// id belongs to the connection (and key) that registered it until it has been silent for `livenessTimeout`.
final class ControlServer {
    let socket: ZMQSocket
    private let limits: DecodeLimits
    /// An actor silent for longer than this is considered gone.
    var livenessTimeout: Duration
    /// Registered actors by worker id.
    private(set) var actors: [String: ActorRecord] = [:]
    /// Frames dropped, by reason.
    private(set) var rejections: [RejectionReason: Int] = [:]
    /// Actors dropped for silence so far.
    private(set) var expiredActors = 0
    /// The role of each admitted CURVE key; a key missing here is an actor. `nil` enforces no roles (plaintext
    /// on loopback, or an embedding that trusts every admitted key).
    var roles: [String: KeyRole]?
    /// Registered workers at most; a `Register` for a new id beyond it is refused until some expire.
    var maxActors = 4_096
    /// How long a worker id's connection must have been silent before another connection may register the id:
    /// a worker restarted by its supervisor (new connection, same id) takes its id back after this, while a
    /// live worker, heard from every second, keeps it against a hijacking `Register`. Shorter than the liveness
    /// timeout, so that the dead connection's flow-control credits are not held for the whole timeout.
    var takeoverSilence: Duration = .seconds(3)
    private let clock = ContinuousClock()

    init(
        bindingTo endpoint: String, security: ServerSecurity, livenessTimeout: Duration = .seconds(10),
        limits: DecodeLimits = .standard, in context: ZMQContext
    ) throws {
        // Control messages are small: a config of a few kilobytes, or current weights.
        socket = try ServiceSockets.bind(
            .router, endpoint, security: security, maxFrameBytes: limits.maxFrameBytes * 2, in: context
        ) {
            try $0.set(.receiveHighWaterMark, 1_000)
        }
        self.limits = limits
        self.livenessTimeout = livenessTimeout
    }

    /// Drops every connection and what its peers left unfinished (`rebindDroppingConnections`). Registered workers
    /// keep their ids: their heartbeats now come from new connections, so they are answered `not_registered`, and
    /// the workers register again once their old connection has been silent for `takeoverSilence`.
    func rebind() throws {
        try socket.rebindDroppingConnections()
    }

    /// Every rejected frame, whatever the reason.
    var rejectedCount: Int { rejections.values.reduce(0, +) }

    /// Whether a trajectory batch from `actorID`, arriving with CURVE key `senderKey`, comes from a registered
    /// actor on the key it registered with: `nil` if so, otherwise the rejection reason.
    func admission(ofActor actorID: String, senderKey: String?) -> RejectionReason? {
        guard let actor = actors[actorID] else { return .unregisteredActor }
        return actor.senderKey == senderKey ? nil : .actorKeyMismatch
    }

    /// The next well-formed request within `timeout`, or `nil`; malformed frames are counted (and answered) on
    /// the way, at most `maxFrames` of them per call so that a flood cannot starve the caller's other work.
    func receive(timeout: Duration = .zero, maxFrames: Int = 1_024) throws -> (peer: ControlPeer, message: WireMessage)?
    {
        var wait = timeout
        var read = 0
        while read < maxFrames, let frames = try socket.receiveMultipart(wait == .zero ? .nonBlocking : .timeout(wait))
        {
            wait = .zero
            read += 1
            guard frames.count >= 2, let payload = frames.last else {
                reject(.unexpectedFrames, peer: nil, detail: "")
                continue
            }
            var peer = ControlPeer(envelope: frames.dropLast().map(\.bytes))
            switch payload.decodeCorrelatedWireMessage(limits: limits) {
            case .failure(let error):
                reject(RejectionReason(error), peer: peer, detail: error.description)
            case .success(let (message, correlation)):
                peer.requestID = correlation.requestID
                guard Self.isRequest(message) else {
                    reject(.wrongMessageType, peer: peer, detail: "\(message.type.rawValue) is not a request")
                    continue
                }
                let key = payload.userID
                if let roles {
                    let role = key.flatMap { roles[$0] } ?? .actor
                    guard role.permits(message) else {
                        reject(
                            .forbidden, peer: peer,
                            detail: "a key with role \(role.rawValue) may not send \(message.type.rawValue)")
                        continue
                    }
                }
                if let refusal = ownershipRefusal(of: message, from: peer) {
                    reject(refusal.reason, peer: peer, detail: refusal.detail, code: refusal.code)
                    continue
                }
                track(message, from: peer, senderKey: key)
                return (peer, message)
            }
        }
        return nil
    }

    /// Sends `message` to `peer`; a peer that has gone away is skipped.
    func reply(to peer: ControlPeer, _ message: WireMessage) throws {
        var frames = try peer.envelope.map { try ZMQMessage(copying: $0) }
        frames.append(try message.zmqMessage(correlation: RequestCorrelation(inReplyTo: peer.requestID)))
        // ROUTER drops messages for unknown or full peers instead of blocking, so this never stalls the learner.
        try socket.sendMultipart(frames, .dontWait)
    }

    /// Sends `message` to every registered actor (e.g. the assignment of a new experiment).
    func broadcast(_ message: WireMessage) throws {
        for actor in actors.values { try reply(to: actor.peer, message) }
    }

    /// Forgets actors silent for longer than `livenessTimeout`; returns their ids.
    @discardableResult
    func expireSilentActors() -> [String] {
        let now = clock.now
        let gone = actors.values.filter { now - $0.lastSeen > livenessTimeout }.map(\.workerID)
        for id in gone { actors[id] = nil }
        expiredActors += gone.count
        return gone
    }

    private static func isRequest(_ message: WireMessage) -> Bool {
        switch message {
        case .register, .heartbeat, .currentWeightsRequest, .submit, .statusRequest, .cancel: true
        case .trajectoryBatch, .policyUpdate, .assignment, .currentWeights, .submitted, .statusReport, .cancelled,
            .error:
            false
        }
    }

    /// Why a `Register` or `Heartbeat` from `peer` is refused: the worker id is live on another connection, or
    /// the registry is full.
    private func ownershipRefusal(of message: WireMessage, from peer: ControlPeer)
        -> (reason: RejectionReason, code: String, detail: String)?
    {
        let now = clock.now
        switch message {
        case .register(let register):
            if let owner = actors[register.workerID] {
                guard owner.peer.envelope == peer.envelope || now - owner.lastSeen > takeoverSilence else {
                    return (
                        .workerIDTaken, ControlErrorCode.workerIDTaken,
                        "worker id '\(register.workerID)' belongs to another live connection"
                    )
                }
            } else if actors.count >= maxActors {
                return (.tooManyActors, ControlErrorCode.tooManyActors, "\(maxActors) workers are registered already")
            }
        case .heartbeat(let heartbeat):
            if let owner = actors[heartbeat.senderID], owner.peer.envelope != peer.envelope {
                // The worker reconnected: it registers again once its old connection's entry has expired.
                return (
                    .workerIDTaken, ControlErrorCode.notRegistered,
                    "worker id '\(heartbeat.senderID)' is registered by another connection"
                )
            }
        default:
            break
        }
        return nil
    }

    private func track(_ message: WireMessage, from peer: ControlPeer, senderKey: String?) {
        switch message {
        case .register(let register):
            actors[register.workerID] = ActorRecord(
                workerID: register.workerID, host: register.host, processID: register.processID,
                keyFingerprint: senderKey.map(keyFingerprint) ?? register.keyFingerprint, senderKey: senderKey,
                peer: peer.unsolicited,
                lastSeen: clock.now)
        case .heartbeat(let heartbeat):
            guard var actor = actors[heartbeat.senderID] else { return }
            actor.lastSeen = clock.now
            actor.envStepsPerSecond = heartbeat.envStepsPerSecond
            actor.batchesSent = heartbeat.batchesSent
            actor.assignmentFailure = heartbeat.assignmentFailure
            actors[heartbeat.senderID] = actor
        default:
            break
        }
    }

    private func reject(_ reason: RejectionReason, peer: ControlPeer?, detail: String, code: String? = nil) {
        rejections[reason, default: 0] += 1
        guard let peer else { return }
        let code =
            code
            ?? (reason == .wrongMessageType
                ? ControlErrorCode.unexpectedMessage
                : reason == .forbidden ? ControlErrorCode.forbidden : ControlErrorCode.malformed)
        // Best effort: a peer that cannot take the reply does not deserve another attempt.
        try? reply(to: peer, .error(ControlError(code: code, message: detail)))
    }
}
