import Foundation
import MazeConfig
import MazeSystem
import MazeWire
import MazeZMQ

/// The learner daemon's service loop: binds the control, trajectory and weights sockets, runs the experiment
/// queue one experiment at a time, feeds batches to the experiment's `LearnerAlgorithm` and broadcasts each
/// new policy version.
///
/// Everything but the trajectory intake runs on the thread that calls `run(until:)` (the update thread): the
/// trajectory socket is read, and its batches decoded and checked against the experiment's schema, by the
/// ingress's own receive stage (`TrajectoryReceiver`), which hands decoded batches over while updates run. `metrics`
/// may be read from any thread. A learner restarted on the same outputs folder finds its queue in
/// `learner-state.json` and resumes the running experiment from its last checkpoint.
public final class LearnerService<Algorithm: LearnerAlgorithm & SendableMetatype> {
    /// Health figures, refreshed every loop iteration; share it with a `MetricsEndpoint`.
    public let metrics: ServiceMetrics
    private let configuration: LearnerConfiguration
    private let makeAlgorithm: (ExperimentRecord) throws -> Algorithm
    private let authenticator: ZAPAuthenticator?
    private let control: ControlServer
    private let ingress: TrajectoryIngress
    private let publisher: WeightsPublisher
    private let store: ExperimentStore
    private var queue: ExperimentQueue
    private var current: RunningExperiment?
    /// The experiment being built, if any.
    private var building: ExperimentBuild<Algorithm>?
    private var throughput = ThroughputMeter()
    private var lastCheckpoint: ContinuousClock.Instant?
    private var updateCount: UInt64 = 0
    /// Updates the numeric guard undid, and weight sets withheld from publication because they were not finite.
    private var skippedUpdates: UInt64 = 0
    private var withheldPublications: UInt64 = 0
    /// Batches handed to the algorithm (including those of skipped updates).
    private var batchesTrained: UInt64 = 0
    private var samplesTrained: UInt64 = 0
    /// Flow control: how many batches each actor may push.
    private var credits = BatchCredits()
    /// Rebinds the sockets when resident memory exceeds `LearnerConfiguration.residentMemoryLimitBytes`.
    private var memoryGuard: ResidentMemoryGuard?
    private var memoryRecycles = 0
    private let clock = ContinuousClock()
    /// Control requests answered per loop iteration at most, so that training keeps its share of the thread.
    private static var requestsPerIteration: Int { 256 }

    private struct RunningExperiment {
        let record: ExperimentRecord
        var algorithm: Algorithm
        var version: UInt64
        var updatesSinceCheckpoint = 0
        var directory: URL
    }

    /// Binds the three sockets (starting the CURVE allow-list first, so no handshake is ever admitted
    /// unchecked) and loads the persisted queue.
    public init(
        configuration: LearnerConfiguration, context: ZMQContext, metrics: ServiceMetrics = ServiceMetrics(),
        makeAlgorithm: @escaping (ExperimentRecord) throws -> Algorithm
    ) throws {
        try configuration.security.validate(for: configuration.endpoints)
        if case .curve(_, let allowed) = configuration.security {
            authenticator = try ZAPAuthenticator(context: context, allowedClientKeys: allowed)
        } else {
            authenticator = nil
        }
        let endpoints = configuration.endpoints
        control = try ControlServer(
            bindingTo: endpoints.control, security: configuration.security,
            livenessTimeout: configuration.livenessTimeout,
            limits: configuration.limits, in: context)
        control.roles = configuration.keyRoles
        ingress = try TrajectoryIngress(
            bindingTo: endpoints.trajectories, security: configuration.security, capacity: 1,
            limits: configuration.limits, receiveHighWaterMark: configuration.trajectoryHighWaterMark, in: context)
        publisher = try WeightsPublisher(bindingTo: endpoints.weights, security: configuration.security, in: context)
        // Batches are taken only from actors registered on control, on the CURVE key they registered with.
        let control = self.control
        ingress.actorAdmission = { actorID, senderKey in control.admission(ofActor: actorID, senderKey: senderKey) }
        ingress.log = configuration.log
        publisher.log = configuration.log
        store = ExperimentStore(outputsDirectory: configuration.outputsDirectory)
        queue = try store.load()
        self.configuration = configuration
        self.metrics = metrics
        self.makeAlgorithm = makeAlgorithm
        memoryGuard = configuration.residentMemoryLimitBytes.map { ResidentMemoryGuard(limitBytes: $0) }
        let interrupted = queue.failInterruptedBuilds()
        if !interrupted.isEmpty {
            persist()
            for id in interrupted {
                configuration.log("\(id) failed: a previous learner stopped while building it; it is not built again")
            }
        }
    }

    /// The experiments as last persisted.
    public var experiments: [ExperimentRecord] { queue.experiments }

    /// Serves until `stop` is signalled, then stops the receive stage (joining its thread) and checkpoints the
    /// running experiment. A service serves once.
    public func run(until stop: StopSignal, pollInterval: Duration = .milliseconds(20)) throws {
        defer { ingress.stop() }
        let poller = ZMQPoller()
        try poller.register(control.socket)
        try poller.register(ingress.socket)
        try poller.register(publisher.socket)
        while !stop.isStopped {
            if current == nil { try startNextExperiment() }
            // Batches waiting to be trained on are taken at once, unless the experiment waits for an evaluation.
            let canTrain = ingress.canTakeIn && current?.algorithm.isWaiting != true
            _ = try poller.poll(timeout: canTrain ? .zero : pollInterval)
            for _ in 0..<Self.requestsPerIteration {
                guard let (peer, request) = try control.receive() else { break }
                try answer(request, from: peer)
            }
            try ingress.pump()
            try publisher.drainInbound()
            try train()
            control.expireSilentActors()
            grantCredits()
            try guardResidentMemory()
            publishMetrics()
        }
        if let current {
            try checkpoint(current)
            configuration.log(
                "\(current.record.id) checkpointed at policy version \(current.version); `--resume` continues it")
        }
        if let building {
            // Stopped on purpose: the build is abandoned (the process is about to end), not failed.
            queue.abandonBuild(building.record.id)
            persist()
            configuration.log("\(building.record.id) stopped while it was built; `--resume` builds it again")
        }
    }

    // MARK: Sockets

    /// Rebinds the three sockets when resident memory is over the limit, dropping what peers left unfinished in
    /// them (see `ResidentMemoryGuard`); logged the first time, counted every time.
    private func guardResidentMemory() throws {
        guard let resident = memoryGuard?.excess(at: clock.now), let limit = memoryGuard?.limitBytes else { return }
        try control.rebind()
        ingress.rebind()
        try publisher.rebind()
        memoryGuard?.recycled(at: clock.now)
        memoryRecycles += 1
        if memoryRecycles == 1 {
            configuration.log(
                "resident memory \(resident >> 20) MiB exceeds the budget of \(limit >> 20) MiB: rebound the control, "
                    + "trajectory and weights sockets, dropping what peers left in them; actors reconnect (logged "
                    + "once, counted in maze_socket_recycles_total)")
        }
    }

    // MARK: Experiments

    /// Starts building the running (to resume) or next queued experiment on its own thread
    /// (`ExperimentBuild`), or, once that build has finished, starts the experiment or fails it with the reason.
    /// The experiment is persisted as `building` first and as running only once built, so a learner that dies in
    /// the build fails it on restart (`failInterruptedBuilds`) instead of crash-looping.
    private func startNextExperiment() throws {
        if let build = building {
            guard let outcome = build.take() else { return }
            building = nil
            try start(build, outcome)
            return
        }
        guard let record = queue.beginBuildingNext() else { return }
        persist()
        building = ExperimentBuild(
            record: record, directory: configuration.outputsDirectory.appendingPathComponent(record.id),
            configuration: configuration, makeAlgorithm: makeAlgorithm)
    }

    private func start(_ build: ExperimentBuild<Algorithm>, _ outcome: ExperimentBuild<Algorithm>.Outcome) throws {
        let record = build.record
        if queue.record(record.id)?.state == .cancelled {
            queue.markBuilt(record.id)
            persist()
            configuration.log("\(record.id) cancelled while it was built")
            return
        }
        do {
            let (algorithm, version) = try outcome.get()
            let (capacity, overflow) = configuration.queueOutOfSyncFactor.multipliedReportingOverflow(
                by: algorithm.batchesPerUpdate)
            guard !overflow else {
                throw ServiceError.invalidConfiguration("queue_out_of_sync_factor × actors_batch_size overflows")
            }
            try ingress.reset(
                experimentID: record.id, version: version, staleness: algorithm.stalenessPolicy, capacity: capacity,
                schema: algorithm.batchSchema)
            queue.markBuilt(record.id)
            persist()
            current = RunningExperiment(
                record: record, algorithm: algorithm, version: version, directory: build.directory)
            credits.budget =
                configuration.flowControl
                ? BatchCredits.budget(
                    batchesPerUpdate: algorithm.batchesPerUpdate, staleness: algorithm.stalenessPolicy) : 0
            try publishWeights(stop: false)
            try control.broadcast(.assignment(assignment(record, version: version)))
            configuration.log("\(record.id) started" + (version > 0 ? ", resumed at policy version \(version)" : ""))
        } catch {
            current = nil
            queue.finish(record.id, failure: String(describing: error))
            persist()
            configuration.log("\(record.id) failed: \(error)")
        }
    }

    private func train() throws {
        guard var experiment = current else { return }
        if queue.record(experiment.record.id)?.state == .cancelled {
            try endExperiment(experiment, failure: nil)
            return
        }
        do {
            try experiment.algorithm.poll()
            current = experiment
        } catch {
            try endExperiment(experiment, failure: "evaluation failed: \(error)")
            return
        }
        while !experiment.algorithm.isFinished, !experiment.algorithm.isWaiting,
            let batches = ingress.take(experiment.algorithm.batchesPerUpdate)
        {
            batchesTrained += UInt64(batches.count)
            samplesTrained += UInt64(batches.reduce(0) { $0 + $1.samples })
            do {
                try experiment.algorithm.update(with: batches)
            } catch let skipped as NonFiniteUpdate {
                // The algorithm undid the update: no new version, nothing to publish; the experiment trains on.
                skippedUpdates += 1
                if skippedUpdates == 1 || skippedUpdates.isMultiple(of: 100) {
                    configuration.log("\(experiment.record.id): \(skipped) (\(skippedUpdates) so far)")
                }
                continue
            } catch {
                try endExperiment(experiment, failure: "update failed: \(error)")
                return
            }
            guard experiment.version < UInt64.max else {
                try endExperiment(experiment, failure: "policy version \(experiment.version) cannot advance")
                return
            }
            experiment.version += 1
            experiment.updatesSinceCheckpoint += 1
            updateCount += 1
            ingress.learnerVersion = experiment.version
            throughput.record(samples: batches.reduce(0) { $0 + $1.samples }, at: clock.now)
            ingress.recycle(consume batches)
            current = experiment
            try publishWeights(stop: false)
            try guardResidentMemory()
            if experiment.updatesSinceCheckpoint >= configuration.checkpointEveryUpdates {
                try checkpoint(experiment)
                experiment.updatesSinceCheckpoint = 0
                current = experiment
            }
        }
        let progress = experiment.algorithm.progress
        if progress.epoch != queue.record(experiment.record.id)?.epoch {
            configuration.log(
                "\(experiment.record.id) epoch \(progress.epoch): best return "
                    + (progress.bestReturn.map { String(format: "%.2f", $0) } ?? "-")
                    + ", policy version \(experiment.version)")
        }
        queue.updateProgress(experiment.record.id, epoch: progress.epoch, bestReturn: progress.bestReturn)
        if experiment.algorithm.isFinished {
            try checkpoint(experiment)
            try endExperiment(experiment, failure: nil)
        }
    }

    /// Tells actors to stop, records the outcome (a cancelled experiment stays cancelled) and frees the slot.
    private func endExperiment(_ experiment: RunningExperiment, failure: String?) throws {
        try publishWeights(stop: true)
        queue.finish(experiment.record.id, failure: failure)
        persist()
        let state = queue.record(experiment.record.id)?.state.rawValue ?? "ended"
        configuration.log("\(experiment.record.id) \(state)" + (failure.map { ": \($0)" } ?? ""))
        try ingress.reset(experimentID: nil, version: 0, staleness: .currentVersionOnly, capacity: 1)
        credits.budget = 0
        current = nil
    }

    /// Writes a checkpoint, retrying transient failures (a full disk, an IO error) a few times. One that still
    /// fails is logged and training goes on: the experiment keeps its previous checkpoint, the next interval
    /// tries again, and `--resume` continues from the newest checkpoint that was written.
    private func checkpoint(_ experiment: RunningExperiment) throws {
        let rotation = CheckpointRotation(experimentDirectory: experiment.directory)
        var attempt = 1
        while true {
            do {
                try rotation.write { try experiment.algorithm.checkpoint(version: experiment.version, to: $0) }
                lastCheckpoint = clock.now
                break
            } catch {
                guard attempt < Self.checkpointAttempts else {
                    configuration.log(
                        "\(experiment.record.id) checkpoint at policy version \(experiment.version) failed "
                            + "after \(attempt) attempts, keeping the previous one: \(error)")
                    return
                }
                attempt += 1
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        persist()
    }

    /// Saves the queue; a failure (a full disk) is logged and the next change tries again, so the learner and
    /// the running experiment keep going.
    private func persist() {
        do {
            try store.saveCompacting(&queue)
        } catch {
            configuration.log("could not save the queue, retrying at the next change: \(error)")
        }
    }

    /// Tries per checkpoint before it is given up until the next interval.
    private static var checkpointAttempts: Int { 3 }

    private func publishWeights(stop: Bool) throws {
        guard let experiment = current else { return }
        // The numeric guard's last line: weights that are not finite never leave the learner.
        if let name = NumericGuard.nonFiniteTensor(in: experiment.algorithm.weights) {
            withheldPublications += 1
            configuration.log(
                "\(experiment.record.id): weights of version \(experiment.version) not published, '\(name)' is not finite"
            )
            guard stop else { return }
            try publisher.publish(
                PolicyUpdate(experimentID: experiment.record.id, version: experiment.version, weights: [:], stop: true))
            return
        }
        try publisher.publish(
            PolicyUpdate(
                experimentID: experiment.record.id, version: experiment.version, weights: experiment.algorithm.weights,
                stop: stop, auxiliary: experiment.algorithm.auxiliary))
    }

    private func assignment(_ record: ExperimentRecord, version: UInt64?) -> Assignment {
        Assignment(
            experimentID: record.id, configYAML: record.configYAML, policyVersion: version, algorithm: record.algorithm)
    }

    // MARK: Control requests

    private func answer(_ request: WireMessage, from peer: ControlPeer) throws {
        let reply: WireMessage
        switch request {
        case .register(let register):
            reply =
                current.map { .assignment(assignment($0.record, version: $0.version)) } ?? learnerHeartbeat(for: nil)
            credits.register(register.workerID, disposed: ingress.disposedByActor[register.workerID] ?? 0)
        case .heartbeat(let heartbeat):
            reply =
                control.actors[heartbeat.senderID] == nil
                ? .error(ControlError(code: ControlErrorCode.notRegistered, message: "register first"))
                : learnerHeartbeat(for: heartbeat.senderID)
        case .currentWeightsRequest(let request):
            let latest = publisher.latest.flatMap { $0.experimentID == request.experimentID ? $0 : nil }
            reply = .currentWeights(CurrentWeights(experimentID: request.experimentID, update: latest))
        case .submit(let submission):
            reply = try submit(submission)
        case .statusRequest:
            reply = .statusReport(StatusReport(experiments: queue.experiments.map(status)))
        case .cancel(let request):
            reply = try cancel(request)
        default:
            reply = .error(
                ControlError(
                    code: ControlErrorCode.unexpectedMessage, message: "\(request.type.rawValue) is not a request"))
        }
        // One peer that cannot be answered must not stop the learner; the next poll reports a closed context.
        try? control.reply(to: peer, reply)
    }

    /// The learner's heartbeat, carrying `actor`'s credits when flow control limits it.
    private func learnerHeartbeat(for actor: String?) -> WireMessage {
        .heartbeat(
            Heartbeat(
                senderID: configuration.name, policyVersion: current?.version,
                credits: actor.flatMap { credits.limit(of: $0) }))
    }

    /// Sends each actor whose grant grew its new credits (after the update's weights went out, so that a PPO
    /// round is collected with them).
    private func grantCredits() {
        let grown = credits.grant(disposed: ingress.disposedByActor, live: Set(control.actors.keys))
        for (actor, _) in grown {
            guard let peer = control.actors[actor]?.peer else { continue }
            try? control.reply(to: peer, learnerHeartbeat(for: actor))
        }
    }

    private func submit(_ submission: Submit) throws -> WireMessage {
        if let refusal = configuration.submissions.refusal(of: submission, queued: queue.queuedCount) {
            return .error(refusal)
        }
        let id = queue.submit(submission)
        persist()
        return .submitted(Submitted(experimentID: id))
    }

    private func cancel(_ request: Cancel) throws -> WireMessage {
        let previous: ExperimentState
        do {
            previous = try queue.cancel(request.experimentID)
        } catch {
            return .error(error)
        }
        persist()
        return .cancelled(Cancelled(experimentID: request.experimentID, previousState: previous))
    }

    private func status(_ record: ExperimentRecord) -> ExperimentStatus {
        var status = ExperimentStatus(
            experimentID: record.id, state: record.state, epoch: record.epoch, bestReturn: record.bestReturn,
            failure: record.failure, actorFailures: actorFailures(record.id))
        if record.id == current?.record.id {
            let snapshot = metrics.snapshot
            status.actors = UInt64(snapshot.connectedActors)
            status.envStepsPerSecond = snapshot.envStepsPerSecond
            status.learnerSamplesPerSecond = snapshot.learnerSamplesPerSecond
            status.policyLag = snapshot.policyLag
            status.rejectedBatches = Dictionary(
                uniqueKeysWithValues: ingress.rejections.filter { $0.value > 0 }.map {
                    ($0.key.rawValue, UInt64($0.value))
                })
        }
        return status
    }

    /// The live actors that report they cannot build experiment `id`, by worker id.
    private func actorFailures(_ id: String) -> [ActorFailure] {
        control.actors.values.compactMap { actor in
            actor.assignmentFailure.flatMap {
                $0.experimentID == id ? ActorFailure(actorID: actor.workerID, reason: $0.reason) : nil
            }
        }.sorted { $0.actorID < $1.actorID }
    }

    // MARK: Metrics

    private func publishMetrics() {
        let now = clock.now
        metrics.update { snapshot in
            snapshot.learnerSamplesPerSecond = throughput.rate(at: now)
            snapshot.queueDepth = ingress.depth
            snapshot.queueCapacity = ingress.capacity
            snapshot.policyLag = ingress.lag.summary
            snapshot.connectedActors = control.actors.count
            snapshot.rejectedFrames = ingress.rejections.merging(control.rejections, uniquingKeysWith: +)
                .merging(publisher.rejections, uniquingKeysWith: +)
            snapshot.checkpointAgeSeconds = lastCheckpoint.map { (now - $0).inSeconds }
            snapshot.actorEnvStepsPerSecond = control.actors.mapValues(\.envStepsPerSecond)
            snapshot.policyVersion = current?.version ?? 0
            snapshot.updates = updateCount
            snapshot.skippedUpdates = skippedUpdates
            snapshot.withheldPublications = withheldPublications
            snapshot.batchesTrained = batchesTrained
            snapshot.batchesReceived = ingress.receivedByActor
            snapshot.samplesTrained = samplesTrained
            snapshot.samplesReceived = ingress.samplesReceived
            snapshot.batchesReported = control.actors.mapValues(\.batchesSent)
            snapshot.socketRecycles = [.residentMemory: memoryRecycles, .unwantedSubscriptions: publisher.recycles]
        }
    }
}
