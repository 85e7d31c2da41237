import MazeWire

/// Why the learner dropped an inbound frame; each reason is a label of the `rejected_frames` metric.
public enum RejectionReason: String, Sendable, CaseIterable, Comparable {
    /// Above `DecodeLimits.maxFrameBytes` (frames above the socket's hard limit never arrive at all).
    case oversized
    /// The frame ends inside a value.
    case truncated
    /// Not well-formed msgpack for the protocol: bad bytes, too deep, too many elements, unknown version or type.
    case malformed
    /// A well-formed message whose fields are missing, mistyped or inconsistent.
    case invalidFields = "invalid_fields"
    /// A valid message of a type this socket does not take (e.g. a `PolicyUpdate` sent to the trajectory socket).
    case wrongMessageType = "wrong_message_type"
    /// More than one frame where one was expected, or a control message without a routing envelope.
    case unexpectedFrames = "unexpected_frames"
    /// A batch for an experiment that is not running.
    case unknownExperiment = "unknown_experiment"
    /// A batch whose policy version the algorithm's staleness policy does not accept.
    case stale
    /// A batch claiming a policy version newer than the learner's.
    case futureVersion = "future_version"
    /// A request the sender's key role does not permit (`KeyRole`), e.g. an actor key's `Submit`.
    case forbidden
    /// A `Register` or `Heartbeat` for a worker id that another live connection registered.
    case workerIDTaken = "worker_id_taken"
    /// A `Register` for a new worker id while `ControlServer.maxActors` are registered.
    case tooManyActors = "too_many_actors"
    /// A subscription to the weights socket other than the empty one actors make.
    case unwantedSubscription = "unwanted_subscription"
    /// A batch whose steps, env count, tensor names, dtypes or shapes do not fit the experiment's `BatchSchema`.
    case schema
    /// A batch holding a NaN or an infinity (in any float tensor or episode summary).
    case nonFinite = "non_finite"
    /// A batch with an action outside the action space or not allowed by its action mask.
    case invalidAction = "invalid_action"
    /// A batch whose `actor_id` has not registered on the control socket.
    case unregisteredActor = "unregistered_actor"
    /// A batch whose `actor_id` registered with another CURVE public key than the one that sent the batch.
    case actorKeyMismatch = "actor_key_mismatch"

    /// The reason a decoding failure counts under.
    init(_ error: WireError) {
        switch error {
        case .oversized: self = .oversized
        case .truncated: self = .truncated
        case .tooDeep, .tooManyElements, .stringTooLong, .malformed, .unsupportedVersion, .unknownType,
            .allocationFailed:
            self = .malformed
        case .missingField, .wrongType, .invalidDType, .dtypeMismatch, .invalidShape, .tensorTooLarge,
            .tensorSizeMismatch,
            .shapeMismatch:
            self = .invalidFields
        }
    }

    public static func < (lhs: RejectionReason, rhs: RejectionReason) -> Bool { lhs.rawValue < rhs.rawValue }
}
