import MazeWire
import MazeZMQ

/// The learner's trajectory intake: a PULL socket feeding a bounded queue of validated batches.
///
/// Every batch is checked before it is queued: its actor id must be admitted (registered on control, with the
/// same CURVE key), its experiment running, its version reached, and its layout and values must fit the
/// experiment's `BatchSchema`. A batch that fails is counted under its reason and logged once per actor and reason.
///
/// The queue holds at most `capacity` batches (`queue_out_of_sync_factor × actors_batch_size`). When it is
/// full, `pump` stops reading, libzmq's receive buffer fills up to its high-water mark, and the actors'
/// PUSH sockets block: backpressure instead of growing memory. Every frame that is not a usable batch is
/// counted by reason and dropped; nothing an actor sends can stop the intake.
final class TrajectoryIngress {
    let socket: ZMQSocket
    private let limits: DecodeLimits
    private let message = ZMQMessage()
    private var queue: [TrajectoryBatch] = []
    private var queueStart = 0

    /// The most batches held at once.
    private(set) var capacity: Int
    /// The experiment whose batches are accepted; batches of any other are rejected (`nil` accepts none).
    private(set) var experimentID: String?
    /// The learner's current policy version, against which lag is measured.
    var learnerVersion: UInt64 = 0
    /// Which batches count as fresh enough.
    private(set) var staleness: StalenessPolicy
    /// Frames dropped, by reason.
    private(set) var rejections: [RejectionReason: Int] = [:]
    /// The lag of every batch handed to the algorithm.
    private(set) var lag = PolicyLagHistogram()
    /// Well-formed batches received from each admitted actor id since the ingress started, whatever their
    /// experiment, schema or staleness: equal to the actors' own counts (`Heartbeat.batchesSent`) when no batch
    /// was lost.
    private(set) var receivedByActor: [String: UInt64] = [:]
    /// The env steps (`steps × envs` rows) of the batches counted in `receivedByActor`: the actors' work that
    /// reached the learner, to compare with what it trained on.
    private(set) var samplesReceived: UInt64 = 0
    /// The layout every batch of the running experiment must have; `nil` checks the wire format only.
    private(set) var schema: BatchSchema?
    /// Whether a batch's `actor_id` may send, given the Z85 CURVE key its connection authenticated with (`nil` on
    /// plaintext): `nil` admits it, a reason rejects it. Unset, every actor id is admitted.
    var actorAdmission: ((_ actorID: String, _ senderKey: String?) -> RejectionReason?)?
    /// Receives one line per actor id and rejection reason, the first time that actor's batch is rejected for it.
    var log: ((String) -> Void)?
    /// The (actor, reason) pairs already logged; bounded, so that a flood of made-up actor ids cannot grow it.
    private var logged: Set<String> = []
    private static var maxLoggedPairs: Int { 4_096 }

    /// Binds the PULL socket. `maxFrameBytes` is the hard limit libzmq enforces by disconnecting the peer; it
    /// should exceed `limits.maxFrameBytes` so that moderately oversized frames are still counted.
    init(
        bindingTo endpoint: String, security: ServerSecurity, capacity: Int,
        staleness: StalenessPolicy = .currentVersionOnly,
        limits: DecodeLimits = .standard, maxFrameBytes: Int? = nil, receiveHighWaterMark: Int = 4,
        in context: ZMQContext
    ) throws {
        try Self.checkCapacity(capacity)
        socket = try ServiceSockets.bind(
            .pull, endpoint, security: security, maxFrameBytes: maxFrameBytes ?? limits.maxFrameBytes * 2, in: context
        ) { try $0.set(.receiveHighWaterMark, receiveHighWaterMark) }
        self.capacity = capacity
        self.staleness = staleness
        self.limits = limits
    }

    /// Drops every connection and the frames buffered for it (`rebindDroppingConnections`). Batches in flight are
    /// lost; their actors register again when control is rebound too, which resets their credits.
    func rebind() throws {
        try socket.rebindDroppingConnections()
    }

    /// Batches waiting for the algorithm.
    var depth: Int { queue.count - queueStart }
    var isFull: Bool { depth >= capacity }
    /// Every rejected frame, whatever the reason.
    var rejectedCount: Int { rejections.values.reduce(0, +) }

    /// Batches of each admitted actor the ingress is done with: handed to the algorithm or rejected (everything
    /// received that is not waiting in the queue). Flow control returns a credit for each.
    var disposedByActor: [String: UInt64] {
        var disposed = receivedByActor
        for batch in queue[queueStart...] { disposed[batch.actorID, default: 0] -= 1 }
        return disposed
    }

    /// Reads frames until the queue is full, `maxFrames` were read, or none arrives within `timeout`; returns
    /// how many were read. The bound keeps a flood of rejected frames from starving the caller's other work.
    @discardableResult
    func pump(timeout: Duration = .zero, maxFrames: Int = 1_024) throws -> Int {
        var read = 0
        var wait = timeout
        while !isFull, read < maxFrames,
            try socket.receive(into: message, wait == .zero ? .nonBlocking : .timeout(wait))
        {
            read += 1
            wait = .zero
            if message.hasMoreFrames {
                reject(.unexpectedFrames)
                try socket.discardRemainingFrames(after: message)
                continue
            }
            switch message.decodeWireMessage(limits: limits) {
            case .failure(let error): reject(RejectionReason(error))
            case .success(.trajectoryBatch(let batch)): admit(batch, senderKey: message.userID)
            case .success: reject(.wrongMessageType)
            }
        }
        return read
    }

    /// Hands out `count` batches the staleness policy accepts at the current version, or `nil` while fewer
    /// are queued; batches that went stale in the queue are discarded and counted.
    func take(_ count: Int) -> [TrajectoryBatch]? {
        dropStale()
        guard depth >= count else { return nil }
        let batches = Array(queue[queueStart..<queueStart + count])
        queueStart += count
        if queueStart * 2 > queue.count {
            queue.removeFirst(queueStart)
            queueStart = 0
        }
        for batch in batches { lag.record(lag(of: batch) ?? 0) }
        return batches
    }

    /// Starts accepting batches of `experimentID` (or none) that fit `schema` from `version` on, with an empty
    /// queue and fresh lag counts; rejection and per-actor counts carry on.
    func reset(
        experimentID: String?, version: UInt64, staleness: StalenessPolicy, capacity: Int, schema: BatchSchema? = nil
    ) throws {
        try Self.checkCapacity(capacity)
        self.experimentID = experimentID
        self.schema = schema
        self.learnerVersion = version
        self.staleness = staleness
        self.capacity = capacity
        queue.removeAll()
        queueStart = 0
        lag = PolicyLagHistogram()
    }

    private static func checkCapacity(_ capacity: Int) throws {
        guard capacity > 0 else {
            throw ServiceError.invalidConfiguration(
                "the trajectory queue needs room for at least one batch, got \(capacity)")
        }
    }

    private func admit(_ batch: TrajectoryBatch, senderKey: String?) {
        if let reason = actorAdmission?(batch.actorID, senderKey) {
            return reject(
                reason, batch,
                "actor id '\(batch.actorID)' "
                    + (reason == .actorKeyMismatch
                        ? "registered with another CURVE key" : "has not registered on the control socket"))
        }
        receivedByActor[batch.actorID, default: 0] += 1
        samplesReceived += UInt64(batch.samples)
        guard batch.experimentID == experimentID else {
            return reject(.unknownExperiment, batch, "experiment '\(batch.experimentID)' is not running")
        }
        guard let lag = lag(of: batch) else {
            return reject(
                .futureVersion, batch,
                "policy version \(batch.policyVersion) is newer than the learner's \(learnerVersion)")
        }
        if let violation = schema?.violation(of: batch) { return reject(violation.reason, batch, violation.detail) }
        guard staleness.accepts(lag: lag) else { return reject(.stale) }
        queue.append(batch)
    }

    /// Counts a rejected batch and logs it the first time its actor is rejected for `reason`.
    private func reject(_ reason: RejectionReason, _ batch: TrajectoryBatch, _ detail: String) {
        reject(reason)
        guard let log, logged.count < Self.maxLoggedPairs, logged.insert("\(reason.rawValue) \(batch.actorID)").inserted
        else { return }
        log(
            "rejected a batch from '\(batch.actorID)' (\(reason.rawValue)): \(detail); further ones from it for this reason are only counted"
        )
    }

    /// Learner version − batch version, or `nil` for a batch from a version the learner has not reached.
    private func lag(of batch: TrajectoryBatch) -> UInt64? {
        batch.policyVersion <= learnerVersion ? learnerVersion - batch.policyVersion : nil
    }

    private func dropStale() {
        let kept = queue[queueStart...].filter { batch in lag(of: batch).map(staleness.accepts) ?? false }
        guard kept.count < depth else { return }
        rejections[.stale, default: 0] += depth - kept.count
        queue = Array(kept)
        queueStart = 0
    }

    private func reject(_ reason: RejectionReason) {
        rejections[reason, default: 0] += 1
    }
}
