import MazeWire
import MazeZMQ

/// The learner's trajectory intake: a `TrajectoryReceiver` stage that reads and decodes batches on its own thread,
/// feeding a bounded queue of validated batches on the update thread.
///
/// Every batch is checked before it is queued: its actor id must be admitted (registered on control, with the
/// same CURVE key), its experiment running, its version reached, and its layout and values must fit the
/// experiment's `BatchSchema` (checked on the stage's thread). A batch that fails is counted under its reason and
/// logged once per actor and reason.
///
/// The queue holds at most `capacity` batches (`queue_out_of_sync_factor × actors_batch_size`), and the stage's
/// hand-off as many again. When both are full, the stage stops reading, libzmq's receive buffer fills up to its
/// high-water mark, and the actors' PUSH sockets block: backpressure instead of growing memory. Every frame that is
/// not a usable batch is counted by reason and dropped; nothing an actor sends can stop the intake.
///
/// Threading: everything but the stage is used on the thread that owns the ingress (the learner's update thread).
final class TrajectoryIngress {
    private let receiver: TrajectoryReceiver
    private var queue: [TrajectoryBatch] = []
    /// What `pump` took from the stage, emptied after admission; its capacity is reused.
    private var arrivals: [TrajectoryReceiver.Received] = []
    /// The array the last update's batches came in, emptied by `recycle`, for `take` to fill again.
    private var handedOut: [TrajectoryBatch] = []

    /// The most batches held at once.
    private(set) var capacity: Int
    /// The experiment whose batches are accepted; batches of any other are rejected (`nil` accepts none).
    private(set) var experimentID: String?
    /// The learner's current policy version, against which lag is measured.
    var learnerVersion: UInt64 = 0
    /// Which batches count as fresh enough.
    private(set) var staleness: StalenessPolicy
    /// Batches dropped on this thread, by reason (`rejections` adds the stage's).
    private var admissionRejections: [RejectionReason: Int] = [:]
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

    /// Binds the PULL socket on the receive stage's thread. `maxFrameBytes` is the hard limit libzmq enforces by
    /// disconnecting the peer; it should exceed `limits.maxFrameBytes` so that moderately oversized frames are still
    /// counted.
    init(
        bindingTo endpoint: String, security: ServerSecurity, capacity: Int,
        staleness: StalenessPolicy = .currentVersionOnly,
        limits: DecodeLimits = .standard, maxFrameBytes: Int? = nil, receiveHighWaterMark: Int = 4,
        in context: ZMQContext
    ) throws {
        try Self.checkCapacity(capacity)
        let frameLimit = maxFrameBytes ?? limits.maxFrameBytes * 2
        receiver = try TrajectoryReceiver(context: context, capacity: capacity, limits: limits) { context in
            try ServiceSockets.bind(.pull, endpoint, security: security, maxFrameBytes: frameLimit, in: context) {
                try $0.set(.receiveHighWaterMark, receiveHighWaterMark)
            }
        }
        self.capacity = capacity
        self.staleness = staleness
    }

    /// The socket that is readable when decoded batches wait: register it with the update thread's poller.
    var socket: ZMQSocket { receiver.readySocket }

    /// Has the stage drop every connection and the frames buffered for it (`rebindDroppingConnections`). Batches in
    /// flight are lost; their actors register again when control is rebound too, which resets their credits.
    func rebind() {
        receiver.requestRebind()
    }

    /// Stops the receive stage and takes in what it had decoded, so that every batch it read is counted.
    func stop() {
        receiver.stop()
        // A failure of the stage was reported by `pump` already, or ends nothing now.
        _ = try? receiver.take(limit: Int.max, into: &arrivals)
        admitArrivals()
    }

    /// Batches waiting for the algorithm.
    var depth: Int { queue.count }
    /// Batches the stage has decoded that this thread has not taken in yet (not counted as received).
    var stagePending: Int { receiver.pending }
    /// Whether `pump` would take in batches now: the stage has some and the queue has room. The update thread
    /// then polls without waiting (the stage's wake-ups were cleared when a full queue left batches behind).
    var canTakeIn: Bool { depth < capacity && stagePending > 0 }
    var isFull: Bool { depth >= capacity }
    /// Frames and batches dropped, by reason.
    var rejections: [RejectionReason: Int] {
        admissionRejections.merging(receiver.rejections, uniquingKeysWith: +)
    }
    /// Every rejected frame, whatever the reason.
    var rejectedCount: Int { rejections.values.reduce(0, +) }

    /// Batches of each admitted actor the ingress is done with: handed to the algorithm or rejected (everything
    /// received that is not waiting in the queue). Flow control returns a credit for each.
    var disposedByActor: [String: UInt64] {
        var disposed = receivedByActor
        for batch in queue { disposed[batch.actorID, default: 0] -= 1 }
        return disposed
    }

    /// Takes in the batches the stage has decoded, until the queue is full or `maxFrames` were taken, waiting up to
    /// `timeout` for one if none is there; returns how many were taken. Rethrows why the stage ended, if it did.
    @discardableResult
    func pump(timeout: Duration = .zero, maxFrames: Int = 1_024) throws -> Int {
        // With the queue full this only clears the stage's wake-ups, so that they do not keep waking the poller
        // (`canTakeIn` says when there is room again).
        let limit = max(0, min(maxFrames, capacity - depth))
        let received = try receiver.take(limit: limit, waiting: limit > 0 ? timeout : .zero, into: &arrivals)
        admitArrivals()
        return received
    }

    private func admitArrivals() {
        for item in arrivals { admit(item) }
        arrivals.removeAll(keepingCapacity: true)
    }

    /// Hands out `count` batches the staleness policy accepts at the current version, or `nil` while fewer
    /// are queued; batches that went stale in the queue are discarded and counted.
    func take(_ count: Int) -> [TrajectoryBatch]? {
        dropStale()
        guard depth >= count else { return nil }
        // Into the array the last update's batches came in (no allocation), and removed from the queue, not
        // skipped: a batch handed out is referred to by nobody here, so that it can be recycled.
        var batches: [TrajectoryBatch] = []
        swap(&batches, &handedOut)
        batches.append(contentsOf: queue.prefix(count))
        queue.removeFirst(count)
        for batch in batches { lag.record(lag(of: batch) ?? 0) }
        return batches
    }

    /// Gives batches the algorithm is done with to the receive stage, which decodes later frames into their storage
    /// (`TrajectoryReceiver.recycle`), and keeps the emptied array for `take`. Pass them as the last use
    /// (`recycle(consume batches)`), so that nothing else refers to them.
    func recycle(_ batches: consuming [TrajectoryBatch]) {
        var batches = batches
        receiver.recycle(&batches)
        batches.removeAll(keepingCapacity: true)
        handedOut = batches
    }

    /// Starts accepting batches of `experimentID` (or none) that fit `schema` from `version` on, with an empty
    /// queue and fresh lag counts; rejection and per-actor counts carry on.
    func reset(
        experimentID: String?, version: UInt64, staleness: StalenessPolicy, capacity: Int, schema: BatchSchema? = nil
    ) throws {
        try Self.checkCapacity(capacity)
        self.experimentID = experimentID
        self.schema = schema
        receiver.update(experimentID: experimentID, schema: schema, capacity: capacity)
        self.learnerVersion = version
        self.staleness = staleness
        self.capacity = capacity
        queue.removeAll()
        lag = PolicyLagHistogram()
    }

    private static func checkCapacity(_ capacity: Int) throws {
        guard capacity > 0 else {
            throw ServiceError.invalidConfiguration(
                "the trajectory queue needs room for at least one batch, got \(capacity)")
        }
    }

    /// Checks a decoded batch against the learner's state (the stage checked its schema, unless the schema changed
    /// since) and queues it, or counts why not.
    private func admit(_ item: TrajectoryReceiver.Received) {
        let (batch, senderKey) = (item.batch, item.senderKey)
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
        let violation =
            item.generation == receiver.settings.generation ? item.violation : schema?.violation(of: batch)
        if let violation { return reject(violation.reason, batch, violation.detail) }
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
        guard queue.contains(where: { isStale($0) }) else { return }
        let depthBefore = depth
        queue.removeAll { isStale($0) }
        admissionRejections[.stale, default: 0] += depthBefore - depth
    }

    private func isStale(_ batch: TrajectoryBatch) -> Bool {
        guard let lag = lag(of: batch) else { return true }
        return !staleness.accepts(lag: lag)
    }

    private func reject(_ reason: RejectionReason) {
        admissionRejections[reason, default: 0] += 1
    }
}
