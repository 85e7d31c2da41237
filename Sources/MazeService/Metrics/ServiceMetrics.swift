import Foundation
import MazeWire
import Synchronization

/// A snapshot of the learner's health figures, written by the service loop and read by the metrics endpoint
/// and by `maze status`.
public struct MetricsSnapshot: Sendable, Equatable {
    public var learnerSamplesPerSecond: Double = 0
    public var queueDepth: Int = 0
    public var queueCapacity: Int = 0
    public var policyLag = PolicyLagSummary()
    public var connectedActors: Int = 0
    public var rejectedFrames: [RejectionReason: Int] = [:]
    /// Seconds since the last checkpoint, fed by the caller; `nil` before the first.
    public var checkpointAgeSeconds: Double?
    /// Each actor's last reported env steps per second, by worker id.
    public var actorEnvStepsPerSecond: [String: Double] = [:]
    public var policyVersion: UInt64 = 0
    public var updates: UInt64 = 0
    /// Updates the numeric guard undid because their loss, gradients or weights were not finite.
    public var skippedUpdates: UInt64 = 0
    /// Weight sets not broadcast because they were not finite (the guard should leave none).
    public var withheldPublications: UInt64 = 0
    /// Batches handed to the algorithm; over `batchesReceived` it is the fraction of produced batches trained on.
    public var batchesTrained: UInt64 = 0
    /// Batches received and batches the actors say they sent, by actor: they agree when none were lost.
    public var batchesReceived: [String: UInt64] = [:]
    public var batchesReported: [String: UInt64] = [:]
    /// Samples (`steps × envs` rows) of the batches counted in `batchesReceived` and in `batchesTrained`: their
    /// ratio is the fraction of the actors' work that was trained on.
    public var samplesReceived: UInt64 = 0
    public var samplesTrained: UInt64 = 0
    /// How often sockets were unbound and bound again to free what peers left in them, by reason.
    public var socketRecycles: [SocketRecycleReason: Int] = [:]

    public init() {}

    /// Total env steps per second over all actors.
    public var envStepsPerSecond: Double { actorEnvStepsPerSecond.values.reduce(0, +) }

    /// The Prometheus text exposition format (version 0.0.4) of the snapshot.
    var prometheusText: String {
        var text = PrometheusText()
        text.gauge(
            "maze_learner_samples_per_second", "Environment steps consumed by the learner per second.",
            learnerSamplesPerSecond)
        text.gauge("maze_learner_queue_depth", "Trajectory batches waiting for the learner.", Double(queueDepth))
        text.gauge("maze_learner_queue_capacity", "Capacity of the trajectory queue.", Double(queueCapacity))
        text.gauge("maze_policy_version", "The learner's current policy version.", Double(policyVersion))
        text.counter("maze_learner_updates_total", "Optimizer updates performed.", Double(updates))
        text.counter(
            "maze_skipped_updates_total", "Updates undone because their loss, gradients or weights were not finite.",
            Double(skippedUpdates))
        text.counter(
            "maze_withheld_weights_total", "Weight sets not published because they were not finite.",
            Double(withheldPublications))
        text.counter("maze_batches_trained_total", "Trajectory batches the learner trained on.", Double(batchesTrained))
        text.counter(
            "maze_samples_received_total", "Samples (steps x envs) of the trajectory batches received from actors.",
            Double(samplesReceived))
        text.counter("maze_samples_trained_total", "Samples the learner trained on.", Double(samplesTrained))
        text.family("maze_policy_lag", "summary", "Learner version minus batch version of consumed batches.")
        for (quantile, value) in [("0.5", policyLag.median), ("0.9", policyLag.p90), ("0.99", policyLag.p99)] {
            text.sample("maze_policy_lag", ["quantile": quantile], Double(value))
        }
        text.sample("maze_policy_lag_sum", [:], policyLag.mean * Double(policyLag.batches))
        text.sample("maze_policy_lag_count", [:], Double(policyLag.batches))
        text.gauge("maze_connected_actors", "Actor workers registered and alive.", Double(connectedActors))
        text.family("maze_rejected_frames_total", "counter", "Inbound frames dropped, by reason.")
        for reason in RejectionReason.allCases {
            text.sample("maze_rejected_frames_total", ["reason": reason.rawValue], Double(rejectedFrames[reason] ?? 0))
        }
        text.family(
            "maze_socket_recycles_total", "counter",
            "Times sockets were unbound and bound again to free what peers left in them, by reason.")
        for reason in SocketRecycleReason.allCases {
            text.sample("maze_socket_recycles_total", ["reason": reason.rawValue], Double(socketRecycles[reason] ?? 0))
        }
        if let checkpointAgeSeconds {
            text.gauge(
                "maze_checkpoint_age_seconds", "Seconds since the last checkpoint was written.", checkpointAgeSeconds)
        }
        text.family("maze_actor_env_steps_per_second", "gauge", "Environment steps per second reported by each actor.")
        for (actor, rate) in actorEnvStepsPerSecond.sorted(by: { $0.key < $1.key }) {
            text.sample("maze_actor_env_steps_per_second", ["actor": actor], rate)
        }
        text.family(
            "maze_batches_received_total", "counter",
            "Trajectory batches received from each registered actor, including those later rejected (stale, schema, ...)."
        )
        for (actor, count) in batchesReceived.sorted(by: { $0.key < $1.key }) {
            text.sample("maze_batches_received_total", ["actor": actor], Double(count))
        }
        text.family("maze_batches_reported_total", "counter", "Trajectory batches each actor reports having sent.")
        for (actor, count) in batchesReported.sorted(by: { $0.key < $1.key }) {
            text.sample("maze_batches_reported_total", ["actor": actor], Double(count))
        }
        return text.output
    }
}

/// The shared, lock-protected home of the latest `MetricsSnapshot`.
public final class ServiceMetrics: Sendable {
    private let state = Mutex(MetricsSnapshot())

    public init() {}

    public var snapshot: MetricsSnapshot { state.withLock { $0 } }

    public func update(_ body: (inout MetricsSnapshot) -> Void) {
        state.withLock { body(&$0) }
    }
}

/// Builds Prometheus text exposition output: `# HELP`/`# TYPE` lines and samples with escaped labels.
struct PrometheusText {
    private(set) var output = ""

    mutating func family(_ name: String, _ type: String, _ help: String) {
        output += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    mutating func gauge(_ name: String, _ help: String, _ value: Double) {
        family(name, "gauge", help)
        sample(name, [:], value)
    }

    mutating func counter(_ name: String, _ help: String, _ value: Double) {
        family(name, "counter", help)
        sample(name, [:], value)
    }

    mutating func sample(_ name: String, _ labels: [String: String], _ value: Double) {
        let labelText =
            labels.isEmpty
            ? ""
            : "{"
                + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escape($0.value))\"" }.joined(
                    separator: ",") + "}"
        output += "\(name)\(labelText) \(Self.format(value))\n"
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
