import Foundation
import MazeSystem
import MazeWire
import MazeZMQ

/// Settings of one actor worker process.
public struct ActorWorkerConfiguration: Sendable {
    /// Unique among the learner's workers, e.g. `host-a/actor-3`.
    public var workerID: String
    /// The learner's endpoints, connect side.
    public var endpoints: ServiceEndpoints
    public var security: ClientSecurity
    public var heartbeatInterval: Duration = .seconds(1)
    /// Without a word from the learner for this long, the worker registers again (the learner may have restarted).
    public var learnerTimeout: Duration = .seconds(5)
    /// Limits on frames from the learner.
    public var limits: DecodeLimits = .standard
    /// Batches buffered towards the learner before pushing blocks.
    public var sendHighWaterMark: Int = 2

    public init(workerID: String, endpoints: ServiceEndpoints, security: ClientSecurity) {
        self.workerID = workerID
        self.endpoints = endpoints
        self.security = security
    }
}

/// What a worker did, for logs and tests.
struct ActorWorkerSummary: Sendable, Equatable {
    /// Batches pushed, by experiment id.
    var batchesSent: [String: UInt64] = [:]
    /// Batches pushed since the worker started, the count its heartbeats report.
    var totalBatchesSent: UInt64 = 0
    /// Policy versions applied, in order.
    var appliedVersions: [UInt64] = []
    /// Experiments the worker finished because the learner asked it to stop.
    var finishedExperiments: [String] = []
    /// Times the worker registered (more than once after learner silence).
    var registrations = 0
    /// Times the worker replaced its weights subscription after the learner went silent or restarted.
    var resubscriptions = 0
    /// Updates that arrived on the weights channel (rather than over control).
    var broadcastUpdates = 0
    /// Assignments the worker could not build a policy for, and why, in order.
    var assignmentFailures: [AssignmentFailure] = []
    /// Updates refused because a weight was not finite (the worker keeps acting with its previous weights).
    var refusedUpdates = 0

    init() {}
}

/// The actor worker loop: registers with the learner, takes its assignment, fetches the current weights,
/// collects rollouts with an `ActingPolicy` and pushes them, following new versions from the weights channel.
///
/// Like the learner it runs on the thread that calls `run(until:)`. It survives learner restarts: ZeroMQ
/// reconnects the sockets, and the worker registers again when the learner has been silent too long.
public final class ActorWorker<Policy: ActingPolicy> {
    private let configuration: ActorWorkerConfiguration
    private let makePolicy: (Assignment) throws -> Policy
    private let control: ZMQSocket
    private let trajectories: ZMQSocket
    private var weights: WeightsSubscriber
    private let context: ZMQContext
    private let clock = ContinuousClock()
    private var active: ActiveExperiment?
    private var lastHeardFromLearner: ContinuousClock.Instant
    private var lastHeartbeat: ContinuousClock.Instant
    private var stepsSinceHeartbeat = 0
    private var needsNewSubscriber = false
    /// A `CurrentWeightsRequest` is outstanding; a lost one is repeated after the next registration.
    private var weightsRequested = false
    /// Why the last assignment could not be built; every heartbeat repeats it until an assignment builds.
    private var assignmentFailure: AssignmentFailure?
    /// The `request_id` of the next control request, and that of the latest `Register`: answers to requests
    /// older than it are stale (a restarted learner answering heartbeats queued while it was away) and ignored.
    private var nextRequestID: UInt64 = 1
    private var registrationRequestID: UInt64 = 0
    /// Flow control: the batches the learner allows since the latest `Register` (`nil`: no limit yet), the
    /// batches pushed since then, and the newest policy version the learner announced.
    private var creditLimit: UInt64?
    private var pushedSinceRegistration: UInt64 = 0
    private var announcedVersion: UInt64?
    private(set) var summary = ActorWorkerSummary()

    private struct ActiveExperiment {
        let id: String
        var policy: Policy
        var version: UInt64?
    }

    /// Connects the three sockets; `makePolicy` builds the acting policy from an assignment's config.
    public init(
        configuration: ActorWorkerConfiguration, context: ZMQContext,
        makePolicy: @escaping (Assignment) throws -> Policy
    ) throws {
        try configuration.security.validate(for: configuration.endpoints)
        let endpoints = configuration.endpoints
        let security = configuration.security
        let limit = configuration.limits.maxFrameBytes
        control = try ServiceSockets.connect(
            .dealer, endpoints.control, security: security, maxFrameBytes: limit, in: context)
        trajectories = try ServiceSockets.connect(
            .push, endpoints.trajectories, security: security, maxFrameBytes: ServiceSockets.maxProtocolOnlyBytes,
            in: context
        ) {
            try $0.set(.sendHighWaterMark, configuration.sendHighWaterMark)
            // Batches wait for a live connection instead of piling up in a pipe to a learner that is not there.
            try $0.set(.immediate, true)
        }
        weights = try WeightsSubscriber(
            connectingTo: endpoints.weights, security: security, limits: configuration.limits, in: context)
        self.configuration = configuration
        self.makePolicy = makePolicy
        self.context = context
        lastHeardFromLearner = clock.now
        lastHeartbeat = clock.now
    }

    /// Works until `stop` is signalled.
    public func run(until stop: StopSignal) throws {
        try register()
        var poller = try makePoller()
        while !stop.isStopped {
            if needsNewSubscriber {
                try resubscribe()
                poller = try makePoller()
            }
            // Idle workers wait on the sockets; busy ones only look.
            _ = try poller.poll(timeout: isReadyToCollect ? .zero : .milliseconds(50))
            try handleControlMessages()
            try followBroadcast()
            try keepInTouch()
            guard isReadyToCollect else { continue }
            // Credits arrive right after the learner published new weights: collect with those, not the ones before.
            if let announced = announcedVersion, let version = active?.version, version < announced {
                try followBroadcast(waiting: .milliseconds(100))
            }
            guard let id = active?.id, let version = active?.version else { continue }
            // In place: collecting on a copy would make the policy copy its buffers (copy-on-write) every rollout.
            let identity = RolloutIdentity(experimentID: id, actorID: configuration.workerID, policyVersion: version)
            guard let batch = try active?.policy.collect(identity), let steps = active?.policy.envSteps(in: batch)
            else { continue }
            guard try push(batch, until: stop) else { break }
            summary.batchesSent[id, default: 0] += 1
            summary.totalBatchesSent += 1
            pushedSinceRegistration += 1
            stepsSinceHeartbeat += steps
        }
    }

    /// An experiment with weights, and a credit for the batch (or no flow control).
    private var isReadyToCollect: Bool {
        active?.version != nil && creditLimit.map { pushedSinceRegistration < $0 } ?? true
    }

    private func makePoller() throws -> ZMQPoller {
        let poller = ZMQPoller()
        try poller.register(control)
        try poller.register(weights.socket)
        return poller
    }

    /// libzmq does not reliably renew a SUB's subscription when it reconnects to a restarted publisher, so after
    /// a learner restart the worker subscribes afresh with a new socket.
    private func resubscribe() throws {
        let previous = weights.current
        weights = try WeightsSubscriber(
            connectingTo: configuration.endpoints.weights, security: configuration.security,
            limits: configuration.limits,
            in: context)
        if let previous { weights.adopt(previous) }
        needsNewSubscriber = false
        summary.resubscriptions += 1
    }

    // MARK: Learner messages

    private func handleControlMessages() throws {
        while let frame = try control.receive(.nonBlocking) {
            lastHeardFromLearner = clock.now
            let decoded = frame.withUnsafeBytes { bytes in
                Result { () throws(WireError) in try WireMessage.decodeCorrelated(bytes, limits: configuration.limits) }
            }
            if case .success(let (_, correlation)) = decoded, let request = correlation.inReplyTo,
                request < registrationRequestID
            {
                continue  // answers a request from before the latest registration
            }
            switch decoded.map(\.message) {
            case .success(.assignment(let assignment)): try take(assignment)
            case .success(.currentWeights(let answer)):
                weightsRequested = false
                if let update = answer.update {
                    weights.adopt(update)
                    try handle(update)
                } else if answer.experimentID == active?.id, active?.version != nil {
                    // The learner has moved on from this experiment: ask for the current assignment.
                    active = nil
                    try register()
                }
            case .success(.heartbeat(let heartbeat)):
                if let credits = heartbeat.credits { creditLimit = credits }
                announcedVersion = heartbeat.policyVersion
                try catchUp(to: heartbeat.policyVersion)
            case .success(.error(let refusal)) where refusal.code == ControlErrorCode.notRegistered:
                // A restarted learner does not know this worker yet.
                try register()
                needsNewSubscriber = true
            default: break  // any other message from the learner only proves it is alive
            }
        }
    }

    /// Asks for the current weights when the learner's heartbeat shows it ahead of what the weights channel
    /// delivered, or running no experiment at all: a broadcast missed while subscribing (or resubscribing)
    /// would otherwise leave the worker's batches stale, or the worker deaf to a stop flag, for good.
    private func catchUp(to learnerVersion: UInt64?) throws {
        guard let experiment = active, !weightsRequested else { return }
        let behind = learnerVersion.map { learner in experiment.version.map { $0 < learner } ?? true } ?? true
        if behind { try requestWeights(experiment.id) }
    }

    private func requestWeights(_ experimentID: String) throws {
        try send(.currentWeightsRequest(CurrentWeightsRequest(experimentID: experimentID)))
        weightsRequested = true
    }

    private func take(_ assignment: Assignment) throws {
        if assignment.experimentID == active?.id {
            // Registered again (the learner restarted): fetch its current weights, and if it resumed from an
            // older checkpoint, follow it back to that version.
            if let learnerVersion = assignment.policyVersion, let ours = active?.version, learnerVersion < ours {
                active?.version = nil
            }
            try requestWeights(assignment.experimentID)
            return
        }
        do {
            active = ActiveExperiment(id: assignment.experimentID, policy: try makePolicy(assignment))
            assignmentFailure = nil
        } catch {
            // The worker stays up and tells the learner why (`maze status` shows it) instead of dying and being
            // restarted into the same failure.
            active = nil
            let failure = AssignmentFailure(experimentID: assignment.experimentID, reason: String(describing: error))
            assignmentFailure = failure
            summary.assignmentFailures.append(failure)
            lastHeartbeat = clock.now - configuration.heartbeatInterval  // report it with the next loop's heartbeat
            return
        }
        // The weights channel may already hold this version; if not, ask for it over control.
        if let current = weights.current, current.experimentID == assignment.experimentID {
            try handle(current)
        } else if assignment.policyVersion != nil {
            try requestWeights(assignment.experimentID)
        }
    }

    private func followBroadcast(waiting timeout: Duration = .zero) throws {
        guard let update = try weights.poll(timeout: timeout) else { return }
        summary.broadcastUpdates += 1
        try handle(update)
    }

    private func handle(_ update: PolicyUpdate) throws {
        guard var experiment = active, update.experimentID == experiment.id else { return }
        if update.stop {
            summary.finishedExperiments.append(experiment.id)
            active = nil
            return
        }
        guard experiment.version.map({ update.version > $0 }) ?? true else { return }
        guard NumericGuard.nonFiniteTensor(in: update.weights) == nil else {
            summary.refusedUpdates += 1
            return
        }
        try experiment.policy.apply(update)
        experiment.version = update.version
        summary.appliedVersions.append(update.version)
        active = experiment
    }

    // MARK: Sending

    private func register() throws {
        weightsRequested = false
        creditLimit = nil
        pushedSinceRegistration = 0
        registrationRequestID = nextRequestID
        try send(
            .register(
                Register(
                    workerID: configuration.workerID, host: ProcessInfo.processInfo.hostName,
                    processID: UInt64(ProcessInfo.processInfo.processIdentifier),
                    keyFingerprint: configuration.security.fingerprint, capabilities: ["cpu"])))
        summary.registrations += 1
    }

    private func keepInTouch() throws {
        let now = clock.now
        if now - lastHeardFromLearner > configuration.learnerTimeout {
            lastHeardFromLearner = now
            try register()
            needsNewSubscriber = true
            weightsRequested = false
        }
        guard now - lastHeartbeat >= configuration.heartbeatInterval else { return }
        let rate = Double(stepsSinceHeartbeat) / max((now - lastHeartbeat).inSeconds, 1e-9)
        try send(
            .heartbeat(
                Heartbeat(
                    senderID: configuration.workerID, envStepsPerSecond: rate, batchesSent: summary.totalBatchesSent,
                    policyVersion: active?.version, assignmentFailure: assignmentFailure)))
        lastHeartbeat = now
        stepsSinceHeartbeat = 0
    }

    /// Control messages are dropped rather than queued while the learner is away; registration repeats anyway.
    private func send(_ message: WireMessage) throws {
        let correlation = RequestCorrelation(requestID: nextRequestID)
        nextRequestID += 1
        try control.send(try message.zmqMessage(correlation: correlation), .dontWait)
    }

    /// Pushes `batch`, waiting as long as the learner applies backpressure; `false` if stopped meanwhile.
    private func push(_ batch: TrajectoryBatch, until stop: StopSignal) throws -> Bool {
        let message = try WireMessage.trajectoryBatch(batch).zmqMessage()
        let poller = ZMQPoller()
        try poller.register(trajectories, for: .writable)
        while !stop.isStopped {
            if try trajectories.send(message, .dontWait) { return true }
            _ = try poller.poll(timeout: .milliseconds(50))
            try handleControlMessages()
            try followBroadcast()
            try keepInTouch()
        }
        return false
    }
}
