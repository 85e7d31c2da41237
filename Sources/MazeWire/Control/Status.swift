/// `maze status` asking the learner for the state of every experiment it knows; answered by `StatusReport`.
public struct StatusRequest: Sendable, Equatable {
    public init() {}
}

/// Where an experiment is in the learner's queue.
public enum ExperimentState: String, Sendable, CaseIterable, Codable {
    case queued, running, done, failed, cancelled

    /// Whether the experiment will not run (again): done, failed or cancelled.
    public var isFinal: Bool { self == .done || self == .failed || self == .cancelled }
}

/// The distribution of policy lag (learner version − batch version) over the accepted batches.
public struct PolicyLagSummary: Sendable, Equatable {
    public var batches: UInt64
    public var mean: Double
    public var median: UInt64
    public var p90: UInt64
    public var p99: UInt64
    public var max: UInt64

    public init(
        batches: UInt64 = 0, mean: Double = 0, median: UInt64 = 0, p90: UInt64 = 0, p99: UInt64 = 0, max: UInt64 = 0
    ) {
        self.batches = batches
        self.mean = mean
        self.median = median
        self.p90 = p90
        self.p99 = p99
        self.max = max
    }
}

/// One line of `maze status`.
public struct ExperimentStatus: Sendable, Equatable {
    public var experimentID: String
    public var state: ExperimentState
    /// Training epochs completed.
    public var epoch: UInt64
    /// The best mean evaluation return so far, or `nil` before the first evaluation.
    public var bestReturn: Double?
    /// Actor workers currently registered and alive (0 unless running).
    public var actors: UInt64
    public var envStepsPerSecond: Double
    public var learnerSamplesPerSecond: Double
    public var policyLag: PolicyLagSummary
    /// Why a failed experiment failed (e.g. a config the actors cannot build); `nil` otherwise.
    public var failure: String?
    /// Actors that cannot work on this experiment, and why (e.g. their `maze` does not register its env).
    public var actorFailures: [ActorFailure]
    /// Trajectory batches the learner rejected since it started, by reason (`schema`, `non_finite`, `stale`, …).
    public var rejectedBatches: [String: UInt64]

    public init(
        experimentID: String, state: ExperimentState, epoch: UInt64 = 0, bestReturn: Double? = nil, actors: UInt64 = 0,
        envStepsPerSecond: Double = 0, learnerSamplesPerSecond: Double = 0,
        policyLag: PolicyLagSummary = PolicyLagSummary(),
        failure: String? = nil, actorFailures: [ActorFailure] = [], rejectedBatches: [String: UInt64] = [:]
    ) {
        self.actorFailures = actorFailures
        self.rejectedBatches = rejectedBatches
        self.experimentID = experimentID
        self.state = state
        self.epoch = epoch
        self.bestReturn = bestReturn
        self.actors = actors
        self.envStepsPerSecond = envStepsPerSecond
        self.learnerSamplesPerSecond = learnerSamplesPerSecond
        self.policyLag = policyLag
        self.failure = failure
    }
}

/// The learner's answer to `StatusRequest`: every experiment in submission order.
public struct StatusReport: Sendable, Equatable {
    public var experiments: [ExperimentStatus]

    public init(experiments: [ExperimentStatus]) {
        self.experiments = experiments
    }
}

extension StatusRequest: WireMessageBody {
    static var messageType: WireMessageType { .statusRequest }
    var fieldCount: Int { 0 }
    var payloadBytes: Int { 0 }
    func writeFields(to writer: inout FrameWriter) {}
    init(fields: WireMap) throws(WireError) {}
}

extension StatusReport: WireMessageBody {
    enum Keys {
        static let experiments = "experiments"
        static let state = "state"
        static let epoch = "epoch"
        static let bestReturn = "best_return"
        static let actors = "actors"
        static let envStepsPerSecond = "env_steps_per_second"
        static let learnerSamplesPerSecond = "learner_samples_per_second"
        static let policyLag = "policy_lag"
        static let failure = "failure"
        static let actorFailures = "actor_failures"
        static let rejectedBatches = "rejected_batches"
        static let batches = "batches"
        static let mean = "mean"
        static let median = "p50"
        static let p90 = "p90"
        static let p99 = "p99"
        static let max = "max"
    }

    static var messageType: WireMessageType { .statusReport }
    var fieldCount: Int { 1 }
    var payloadBytes: Int {
        experiments.reduce(0) { total, status in
            total + status.experimentID.utf8.count + (status.failure?.utf8.count ?? 0) + 256
                + status.actorFailures.reduce(0) { $0 + $1.actorID.utf8.count + $1.reason.utf8.count + 32 }
                + status.rejectedBatches.keys.reduce(0) { $0 + $1.utf8.count + 16 }
        }
    }

    func writeFields(to writer: inout FrameWriter) {
        writer.writeKey(Keys.experiments) { writer in
            writer.writeArrayHeader(count: experiments.count)
            for experiment in experiments { writer.write(experiment) }
        }
    }

    init(fields: WireMap) throws(WireError) {
        self.init(
            experiments: try fields.required(Keys.experiments).array().map { value throws(WireError) in
                try ExperimentStatus(fields: value.map())
            })
    }
}

extension ExperimentStatus {
    init(fields: WireMap) throws(WireError) {
        typealias Keys = StatusReport.Keys
        self.init(
            experimentID: try fields.required(ControlKeys.experimentID).string(),
            state: try fields.required(Keys.state).experimentState(),
            epoch: try fields.required(Keys.epoch).unsignedInteger(),
            bestReturn: try fields.optional(Keys.bestReturn)?.double(),
            actors: try fields.required(Keys.actors).unsignedInteger(),
            envStepsPerSecond: try fields.required(Keys.envStepsPerSecond).double(),
            learnerSamplesPerSecond: try fields.required(Keys.learnerSamplesPerSecond).double(),
            policyLag: try PolicyLagSummary(fields: fields.required(Keys.policyLag).map()),
            failure: try fields.optional(Keys.failure)?.string(),
            actorFailures: try fields.optional(Keys.actorFailures)?.actorFailures() ?? [],
            rejectedBatches: try fields.optional(Keys.rejectedBatches)?.map().namedValues { value throws(WireError) in
                try value.unsignedInteger()
            } ?? [:]
        )
    }
}

extension PolicyLagSummary {
    init(fields: WireMap) throws(WireError) {
        typealias Keys = StatusReport.Keys
        self.init(
            batches: try fields.required(Keys.batches).unsignedInteger(),
            mean: try fields.required(Keys.mean).double(),
            median: try fields.required(Keys.median).unsignedInteger(),
            p90: try fields.required(Keys.p90).unsignedInteger(),
            p99: try fields.required(Keys.p99).unsignedInteger(),
            max: try fields.required(Keys.max).unsignedInteger()
        )
    }
}

extension WireValue {
    func experimentState() throws(WireError) -> ExperimentState {
        let name = try string()
        guard let state = ExperimentState(rawValue: name) else {
            throw .wrongType(field: path, expected: "one of \(ExperimentState.allCases.map(\.rawValue))")
        }
        return state
    }
}

extension FrameWriter {
    mutating func write(_ status: ExperimentStatus) {
        typealias Keys = StatusReport.Keys
        let actorFailures = status.actorFailures.isEmpty ? nil : status.actorFailures
        writeMapHeader(
            count: 7 + status.bestReturn.entryCount + status.failure.entryCount + actorFailures.entryCount
                + (status.rejectedBatches.isEmpty ? 0 : 1))
        writeKey(ControlKeys.experimentID) { $0.write(status.experimentID) }
        writeKey(Keys.state) { $0.write(status.state.rawValue) }
        writeKey(Keys.epoch) { $0.write(status.epoch) }
        writeKey(Keys.bestReturn, ifPresent: status.bestReturn) { $0.write($1) }
        writeKey(Keys.actors) { $0.write(status.actors) }
        writeKey(Keys.envStepsPerSecond) { $0.write(status.envStepsPerSecond) }
        writeKey(Keys.learnerSamplesPerSecond) { $0.write(status.learnerSamplesPerSecond) }
        writeKey(Keys.failure, ifPresent: status.failure) { $0.write($1) }
        writeKey(Keys.actorFailures, ifPresent: actorFailures) { $0.write($1) }
        if !status.rejectedBatches.isEmpty {
            writeKey(Keys.rejectedBatches) { writer in
                writer.writeMapHeader(count: status.rejectedBatches.count)
                for (reason, count) in status.rejectedBatches.sorted(by: { $0.key < $1.key }) {
                    writer.writeKey(reason) { $0.write(count) }
                }
            }
        }
        writeKey(Keys.policyLag) { writer in
            let lag = status.policyLag
            writer.writeMapHeader(count: 6)
            writer.writeKey(Keys.batches) { $0.write(lag.batches) }
            writer.writeKey(Keys.mean) { $0.write(lag.mean) }
            writer.writeKey(Keys.median) { $0.write(lag.median) }
            writer.writeKey(Keys.p90) { $0.write(lag.p90) }
            writer.writeKey(Keys.p99) { $0.write(lag.p99) }
            writer.writeKey(Keys.max) { $0.write(lag.max) }
        }
    }
}
