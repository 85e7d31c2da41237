/// An actor's rollout of T steps in each of B environments, as sent to the learner.
///
/// The initializer checks every tensor against T and B, so a learner can stack batches without
/// re-validating: observations are `[T+1, B, …]` (the last step is the bootstrap observation), actions and
/// behaviour logits `[T, B, …]`, rewards and behaviour log-probabilities `f4 [T, B]`, and `terminated` and
/// `truncated` `b1 [T, B]`. Termination and truncation stay apart because value bootstrapping differs.
///
/// A structured env's rollout (several sub-steps per decision, e.g. select a piece, then cut it) carries
/// `subSteps` S: each step `t` is one cycle of S sub-steps, and rewards, log-probabilities and the two end flags
/// get a trailing sub-step axis, `[T, B, S]` (docs/PROTOCOL.md, section 4.1.2). A flat batch has no `subSteps`.
public struct TrajectoryBatch: Sendable, Equatable {
    /// The experiment the rollout belongs to.
    public let experimentID: String
    /// The actor worker that produced the rollout (a process; not Maze's structured-env actor id).
    public let actorID: String
    /// The policy version that chose the actions (IMPALA uses it to measure staleness).
    public let policyVersion: UInt64
    /// T, the number of steps per environment.
    public let steps: Int
    /// B, the number of environments stepped in lockstep.
    public let envs: Int
    /// S, the sub-steps of one cycle of a structured env; `nil` for a flat (single-step) batch.
    public let subSteps: Int?
    /// Observations by name, each `[T+1, B, …]`.
    public let observations: [String: WireTensor]
    /// Actions by name, each `[T, B, …]`.
    public let actions: [String: WireTensor]
    /// `f4 [T, B]` (`[T, B, S]` with sub-steps).
    public let rewards: WireTensor
    /// `b1 [T, B]` (`[T, B, S]`): the episode ended in a terminal state (no bootstrap).
    public let terminated: WireTensor
    /// `b1 [T, B]` (`[T, B, S]`): the episode was cut off (bootstrap from the next observation).
    public let truncated: WireTensor
    /// `f4 [T, B]` (`[T, B, S]`): log-probability of each action under the behaviour policy.
    public let behaviourLogProbs: WireTensor
    /// Behaviour policy logits by action name, each `[T, B, …]`, when the actor sends them.
    public let behaviourLogits: [String: WireTensor]?
    /// Episodes that finished during the rollout.
    public let episodes: [EpisodeSummary]
    /// `f4 [B, S]`, from an actor of a recurrent policy: the state (S floats) each env's policy carried into the
    /// rollout's first step, from which the learner recomputes the rollout (truncated back-propagation through
    /// time); `nil` for a feed-forward policy.
    public let initialState: WireTensor?

    /// Builds a batch after checking each tensor's dtype and leading dimensions against `steps`, `envs` and
    /// `subSteps` (at least 1 when given).
    public init(
        experimentID: String,
        actorID: String,
        policyVersion: UInt64,
        steps: Int,
        envs: Int,
        subSteps: Int? = nil,
        observations: [String: WireTensor],
        actions: [String: WireTensor],
        rewards: WireTensor,
        terminated: WireTensor,
        truncated: WireTensor,
        behaviourLogProbs: WireTensor,
        behaviourLogits: [String: WireTensor]? = nil,
        episodes: [EpisodeSummary] = [],
        initialState: WireTensor? = nil
    ) throws(WireError) {
        guard steps >= 0, steps < Int.max else {
            throw .wrongType(field: Keys.steps, expected: "a non-negative integer")
        }
        guard envs >= 0 else { throw .wrongType(field: Keys.envs, expected: "a non-negative integer") }
        if let subSteps, subSteps < 1 { throw .wrongType(field: Keys.subSteps, expected: "a positive integer") }
        let stepShape = [steps, envs] + (subSteps.map { [$0] } ?? [])
        for (name, tensor) in observations {
            try Self.checkLeadingDimensions(tensor, [steps + 1, envs], field: "\(Keys.observations).\(name)")
        }
        for (name, tensor) in actions {
            try Self.checkLeadingDimensions(tensor, [steps, envs], field: "\(Keys.actions).\(name)")
        }
        for (name, tensor) in behaviourLogits ?? [:] {
            try Self.checkLeadingDimensions(tensor, [steps, envs], field: "\(Keys.behaviourLogits).\(name)")
        }
        try Self.checkStepTensor(rewards, dtype: .float32, shape: stepShape, field: Keys.rewards)
        try Self.checkStepTensor(terminated, dtype: .bool, shape: stepShape, field: Keys.terminated)
        try Self.checkStepTensor(truncated, dtype: .bool, shape: stepShape, field: Keys.truncated)
        try Self.checkStepTensor(behaviourLogProbs, dtype: .float32, shape: stepShape, field: Keys.behaviourLogProbs)
        if let initialState {
            guard initialState.dtype == .float32 else {
                throw .dtypeMismatch(field: Keys.initialState, expected: .float32, actual: initialState.dtype)
            }
            guard initialState.shape.count == 2, initialState.shape[0] == envs else {
                throw .shapeMismatch(field: Keys.initialState, expected: "[\(envs), S]", actual: initialState.shape)
            }
        }
        self.experimentID = experimentID
        self.actorID = actorID
        self.policyVersion = policyVersion
        self.steps = steps
        self.envs = envs
        self.subSteps = subSteps
        self.observations = observations
        self.actions = actions
        self.rewards = rewards
        self.terminated = terminated
        self.truncated = truncated
        self.behaviourLogProbs = behaviourLogProbs
        self.behaviourLogits = behaviourLogits
        self.episodes = episodes
        self.initialState = initialState
    }

    private static func checkLeadingDimensions(_ tensor: WireTensor, _ leading: [Int], field: String) throws(WireError)
    {
        guard tensor.shape.starts(with: leading) else {
            throw .shapeMismatch(
                field: field, expected: "\(leading) followed by any feature dimensions", actual: tensor.shape)
        }
    }

    private static func checkStepTensor(
        _ tensor: WireTensor, dtype: WireTensor.DType, shape: [Int], field: String
    ) throws(WireError) {
        guard tensor.dtype == dtype else { throw .dtypeMismatch(field: field, expected: dtype, actual: tensor.dtype) }
        guard tensor.shape == shape else {
            throw .shapeMismatch(field: field, expected: "\(shape)", actual: tensor.shape)
        }
    }
}

extension TrajectoryBatch {
    /// The map keys of a `TrajectoryBatch` frame (docs/PROTOCOL.md).
    enum Keys {
        static let experimentID = "experiment_id"
        static let actorID = "actor_id"
        static let policyVersion = "policy_version"
        static let steps = "steps"
        static let envs = "envs"
        static let subSteps = "sub_steps"
        static let observations = "observations"
        static let actions = "actions"
        static let rewards = "rewards"
        static let terminated = "terminated"
        static let truncated = "truncated"
        static let behaviourLogProbs = "behaviour_log_probs"
        static let behaviourLogits = "behaviour_logits"
        static let episodes = "episodes"
        static let initialState = "initial_state"
    }
}
