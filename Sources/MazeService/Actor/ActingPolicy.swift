import MazeWire

/// What an actor worker runs: a policy that takes broadcast weights and collects rollouts with them.
///
/// The worker owns transport, versioning and heartbeats; a policy (vector env + model + sampling) only applies
/// `PolicyUpdate`s and produces `TrajectoryBatch`es stamped with the identity the worker gives it.
public protocol ActingPolicy {
    /// Replaces the acting weights (and auxiliary data such as normalization statistics).
    mutating func apply(_ update: PolicyUpdate) throws

    /// Steps the environments for one rollout and returns it, tagged with `identity`.
    mutating func collect(_ identity: RolloutIdentity) throws -> TrajectoryBatch

    /// The env steps `batch`, one of this policy's, took: the worker's heartbeats report them per second
    /// (`maze status`' STEPS/S). By default each row of each sub-step is one step; a policy whose rows are not
    /// steps (an ES batch's rows are whole episodes) counts its own way.
    func envSteps(in batch: TrajectoryBatch) -> Int
}

extension ActingPolicy {
    public func envSteps(in batch: TrajectoryBatch) -> Int { batch.steps * batch.envs * (batch.subSteps ?? 1) }
}

/// The tags every batch carries: which experiment, which worker, and which policy version chose the actions.
public struct RolloutIdentity: Sendable, Equatable {
    public let experimentID: String
    public let actorID: String
    public let policyVersion: UInt64

    public init(experimentID: String, actorID: String, policyVersion: UInt64) {
        self.experimentID = experimentID
        self.actorID = actorID
        self.policyVersion = policyVersion
    }
}
