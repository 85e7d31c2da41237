#if _endian(big)
#error("MazeWire copies tensor bodies as little-endian memory and needs a little-endian host.")
#endif

/// Constants of the swift-maze wire protocol; docs/PROTOCOL.md is the full specification.
public enum WireProtocol {
    /// The protocol version this build writes into `"v"` and the only one it accepts.
    public static let version: UInt64 = 1
}

/// The registry of message types: the `"type"` string of every message this build understands.
///
/// Decoding looks the frame's `"type"` up here and fails with `WireError.unknownType` for anything else.
/// Control messages (register, heartbeat, assignment, submit, status, cancel) join as new cases with a
/// matching `WireMessage` case and codec; docs/PROTOCOL.md lists the reserved names.
public enum WireMessageType: String, Sendable, CaseIterable {
    /// An actor's rollout of T steps over B environments, sent to the learner.
    case trajectoryBatch = "TrajectoryBatch"
    /// New policy weights (or a stop request) broadcast from the learner to actors.
    case policyUpdate = "PolicyUpdate"
}
