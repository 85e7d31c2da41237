/// Why an actor worker cannot work on an experiment it was assigned: building the experiment's env, wrappers or
/// model failed (an env its executable does not register, a missing Python module, a bad parameter).
///
/// Actors repeat it in every `Heartbeat` while it holds (`assignment_failure`), so a learner that missed one still
/// learns it; the learner lists it per experiment in `StatusReport` (`actor_failures`).
public struct AssignmentFailure: Sendable, Equatable {
    /// The experiment the worker could not build.
    public var experimentID: String
    /// The error, for people; cut to ``maxReasonBytes``.
    public var reason: String

    /// Longest reason sent, in UTF-8 bytes: far below the decoder's string limit, long enough for any error.
    public static let maxReasonBytes = 4_096

    public init(experimentID: String, reason: String) {
        self.experimentID = experimentID
        self.reason = Self.truncated(reason)
    }

    static func truncated(_ text: String) -> String {
        guard text.utf8.count > maxReasonBytes else { return text }
        var cut = ""
        for character in text {
            guard cut.utf8.count + character.utf8.count <= maxReasonBytes - 3 else { break }
            cut.append(character)
        }
        return cut + "…"
    }
}

/// One actor's ``AssignmentFailure`` as `maze status` shows it under its experiment.
public struct ActorFailure: Sendable, Equatable {
    /// The worker id, e.g. `host-a/actor-0`.
    public var actorID: String
    public var reason: String

    public init(actorID: String, reason: String) {
        self.actorID = actorID
        self.reason = AssignmentFailure.truncated(reason)
    }
}

enum AssignmentFailureKeys {
    static let actorID = "actor_id"
    static let reason = "reason"
}

extension FrameWriter {
    mutating func write(_ failure: AssignmentFailure) {
        writeMapHeader(count: 2)
        writeKey(ControlKeys.experimentID) { $0.write(failure.experimentID) }
        writeKey(AssignmentFailureKeys.reason) { $0.write(failure.reason) }
    }

    mutating func write(_ failures: [ActorFailure]) {
        writeArrayHeader(count: failures.count)
        for failure in failures {
            writeMapHeader(count: 2)
            writeKey(AssignmentFailureKeys.actorID) { $0.write(failure.actorID) }
            writeKey(AssignmentFailureKeys.reason) { $0.write(failure.reason) }
        }
    }
}

extension WireValue {
    func assignmentFailure() throws(WireError) -> AssignmentFailure {
        let fields = try map()
        return AssignmentFailure(
            experimentID: try fields.required(ControlKeys.experimentID).string(),
            reason: try fields.required(AssignmentFailureKeys.reason).string())
    }

    func actorFailures() throws(WireError) -> [ActorFailure] {
        try array().map { value throws(WireError) in
            let fields = try value.map()
            return ActorFailure(
                actorID: try fields.required(AssignmentFailureKeys.actorID).string(),
                reason: try fields.required(AssignmentFailureKeys.reason).string())
        }
    }
}
