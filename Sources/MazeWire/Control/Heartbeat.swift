/// A liveness signal on the control socket, in both directions: actors report throughput and how many
/// batches they have pushed, the learner answers with its current policy version.
public struct Heartbeat: Sendable, Equatable {
    /// The worker id of an actor, or the learner's name.
    public var senderID: String
    /// Environment steps per second since the previous heartbeat (0 from the learner).
    public var envStepsPerSecond: Double
    /// Trajectory batches the sender has pushed since it started (0 from the learner), so the learner can
    /// check that none were lost or duplicated.
    public var batchesSent: UInt64
    /// The newest policy version the sender knows of, if any.
    public var policyVersion: UInt64?
    /// From an actor: why it cannot work on the experiment it was assigned, repeated while that holds.
    public var assignmentFailure: AssignmentFailure?
    /// Learner → actor flow control: how many batches the actor may push in total since its latest `Register`;
    /// absent when the learner does not limit it.
    public var credits: UInt64?

    public init(
        senderID: String, envStepsPerSecond: Double = 0, batchesSent: UInt64 = 0, policyVersion: UInt64? = nil,
        assignmentFailure: AssignmentFailure? = nil, credits: UInt64? = nil
    ) {
        self.senderID = senderID
        self.credits = credits
        self.envStepsPerSecond = envStepsPerSecond
        self.batchesSent = batchesSent
        self.policyVersion = policyVersion
        self.assignmentFailure = assignmentFailure
    }
}

extension Heartbeat: WireMessageBody {
    enum Keys {
        static let senderID = "sender_id"
        static let envStepsPerSecond = "env_steps_per_second"
        static let batchesSent = "batches_sent"
        static let policyVersion = "policy_version"
        static let assignmentFailure = "assignment_failure"
        static let credits = "credits"
    }

    static var messageType: WireMessageType { .heartbeat }
    var fieldCount: Int { 3 + policyVersion.entryCount + assignmentFailure.entryCount + credits.entryCount }
    var payloadBytes: Int {
        senderID.utf8.count + 32
            + (assignmentFailure.map { $0.experimentID.utf8.count + $0.reason.utf8.count + 32 } ?? 0)
    }

    func writeFields(to writer: inout FrameWriter) {
        writer.writeKey(Keys.senderID) { $0.write(senderID) }
        writer.writeKey(Keys.envStepsPerSecond) { $0.write(envStepsPerSecond) }
        writer.writeKey(Keys.batchesSent) { $0.write(batchesSent) }
        writer.writeKey(Keys.policyVersion, ifPresent: policyVersion) { $0.write($1) }
        writer.writeKey(Keys.assignmentFailure, ifPresent: assignmentFailure) { $0.write($1) }
        writer.writeKey(Keys.credits, ifPresent: credits) { $0.write($1) }
    }

    init(fields: WireMap) throws(WireError) {
        self.init(
            senderID: try fields.required(Keys.senderID).string(),
            envStepsPerSecond: try fields.required(Keys.envStepsPerSecond).double(),
            batchesSent: try fields.required(Keys.batchesSent).unsignedInteger(),
            policyVersion: try fields.optional(Keys.policyVersion)?.unsignedInteger(),
            assignmentFailure: try fields.optional(Keys.assignmentFailure)?.assignmentFailure(),
            credits: try fields.optional(Keys.credits)?.unsignedInteger()
        )
    }
}
