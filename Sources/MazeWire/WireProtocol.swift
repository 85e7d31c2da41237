#if _endian(big)
    #error("MazeWire copies tensor bodies as little-endian memory and needs a little-endian host.")
#endif

/// Constants of the swift-maze wire protocol; docs/PROTOCOL.md is the full specification.
enum WireProtocol {
    /// The protocol version this build writes into `"v"` and the only one it accepts.
    public static let version: UInt64 = 1
}

/// The registry of message types: the `"type"` string of every message this build understands.
///
/// Decoding looks the frame's `"type"` up here and fails with `WireError.unknownType` for anything else.
/// Every case has a matching `WireMessage` case and codec; docs/PROTOCOL.md specifies each one.
public enum WireMessageType: String, Sendable, CaseIterable {
    /// An actor's rollout of T steps over B environments, sent to the learner.
    case trajectoryBatch = "TrajectoryBatch"
    /// New policy weights (or a stop request) broadcast from the learner to actors.
    case policyUpdate = "PolicyUpdate"

    // Control messages, on the learner's control socket (ROUTER) and its DEALER clients.

    /// An actor worker or client introducing itself.
    case register = "Register"
    /// Liveness and throughput, both ways.
    case heartbeat = "Heartbeat"
    /// The experiment (config and policy version) an actor is to work on.
    case assignment = "Assignment"
    /// A joining actor asking for the newest policy.
    case currentWeightsRequest = "CurrentWeightsRequest"
    /// The newest policy, answered over control.
    case currentWeights = "CurrentWeights"
    /// An experiment for the learner's queue.
    case submit = "Submit"
    /// The id of a submitted experiment.
    case submitted = "Submitted"
    /// A request for the state of every experiment.
    case statusRequest = "StatusRequest"
    /// The state of every experiment.
    case statusReport = "StatusReport"
    /// A request to stop or drop an experiment.
    case cancel = "Cancel"
    /// Confirmation of a cancellation.
    case cancelled = "Cancelled"
    /// A refusal, with a machine-readable code.
    case error = "Error"
}
