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
    public internal(set) var experimentID: String
    /// The actor worker that produced the rollout (a process; not Maze's structured-env actor id).
    public internal(set) var actorID: String
    /// The policy version that chose the actions (IMPALA uses it to measure staleness).
    public internal(set) var policyVersion: UInt64
    /// T, the number of steps per environment.
    public internal(set) var steps: Int
    /// B, the number of environments stepped in lockstep.
    public internal(set) var envs: Int
    /// S, the sub-steps of one cycle of a structured env; `nil` for a flat (single-step) batch.
    public internal(set) var subSteps: Int?
    /// Observations by name, each `[T+1, B, …]`.
    public internal(set) var observations: [String: WireTensor]
    /// Actions by name, each `[T, B, …]`.
    public internal(set) var actions: [String: WireTensor]
    /// `f4 [T, B]` (`[T, B, S]` with sub-steps).
    public internal(set) var rewards: WireTensor
    /// `b1 [T, B]` (`[T, B, S]`): the episode ended in a terminal state (no bootstrap).
    public internal(set) var terminated: WireTensor
    /// `b1 [T, B]` (`[T, B, S]`): the episode was cut off (bootstrap from the next observation).
    public internal(set) var truncated: WireTensor
    /// `f4 [T, B]` (`[T, B, S]`): log-probability of each action under the behaviour policy.
    public internal(set) var behaviourLogProbs: WireTensor
    /// Behaviour policy logits by action name, each `[T, B, …]`, when the actor sends them.
    public internal(set) var behaviourLogits: [String: WireTensor]?
    /// Episodes that finished during the rollout.
    public internal(set) var episodes: [EpisodeSummary]
    /// `f4 [B, S]`, from an actor of a recurrent policy: the state (S floats) each env's policy carried into the
    /// rollout's first step, from which the learner recomputes the rollout (truncated back-propagation through
    /// time); `nil` for a feed-forward policy.
    public internal(set) var initialState: WireTensor?

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
        try checkLayout()
    }

    /// An empty batch that does not pass `checkLayout()`, for the decoder to decode into; never handed out.
    init(blank: Void) {
        experimentID = ""
        actorID = ""
        policyVersion = 0
        steps = 0
        envs = 0
        subSteps = nil
        observations = [:]
        actions = [:]
        rewards = .empty
        terminated = .empty
        truncated = .empty
        behaviourLogProbs = .empty
        behaviourLogits = nil
        episodes = []
        initialState = nil
    }

    /// Checks each tensor's dtype and leading dimensions against `steps`, `envs` and `subSteps` (at least 1 when
    /// given): what every batch passes before anyone else sees it.
    func checkLayout() throws(WireError) {
        guard steps >= 0, steps < Int.max else {
            throw .wrongType(field: Keys.steps, expected: "a non-negative integer")
        }
        guard envs >= 0 else { throw .wrongType(field: Keys.envs, expected: "a non-negative integer") }
        if let subSteps, subSteps < 1 { throw .wrongType(field: Keys.subSteps, expected: "a positive integer") }
        for (name, tensor) in observations {
            try Self.checkLeadingDimensions(tensor, steps + 1, envs, field: "\(Keys.observations).\(name)")
        }
        for (name, tensor) in actions {
            try Self.checkLeadingDimensions(tensor, steps, envs, field: "\(Keys.actions).\(name)")
        }
        for (name, tensor) in behaviourLogits ?? [:] {
            try Self.checkLeadingDimensions(tensor, steps, envs, field: "\(Keys.behaviourLogits).\(name)")
        }
        try checkStepTensor(rewards, dtype: .float32, field: Keys.rewards)
        try checkStepTensor(terminated, dtype: .bool, field: Keys.terminated)
        try checkStepTensor(truncated, dtype: .bool, field: Keys.truncated)
        try checkStepTensor(behaviourLogProbs, dtype: .float32, field: Keys.behaviourLogProbs)
        if let initialState {
            guard initialState.dtype == .float32 else {
                throw .dtypeMismatch(field: Keys.initialState, expected: .float32, actual: initialState.dtype)
            }
            guard initialState.shape.count == 2, initialState.shape[0] == envs else {
                throw .shapeMismatch(field: Keys.initialState, expected: "[\(envs), S]", actual: initialState.shape)
            }
        }
    }

    /// Throws unless `tensor`'s shape starts with `[first, second]`; the field's name is built only for the error.
    private static func checkLeadingDimensions(
        _ tensor: WireTensor, _ first: Int, _ second: Int, field: @autoclosure () -> String
    ) throws(WireError) {
        guard tensor.shape.count >= 2, tensor.shape[0] == first, tensor.shape[1] == second else {
            throw .shapeMismatch(
                field: field(), expected: "\([first, second]) followed by any feature dimensions", actual: tensor.shape)
        }
    }

    /// Throws unless `tensor` is `dtype [T, B]` (`[T, B, S]` with sub-steps).
    private func checkStepTensor(_ tensor: WireTensor, dtype: WireTensor.DType, field: String) throws(WireError) {
        guard tensor.dtype == dtype else { throw .dtypeMismatch(field: field, expected: dtype, actual: tensor.dtype) }
        let shape = tensor.shape
        let fits =
            if let subSteps {
                shape.count == 3 && shape[0] == steps && shape[1] == envs && shape[2] == subSteps
            } else {
                shape.count == 2 && shape[0] == steps && shape[1] == envs
            }
        guard fits else {
            let expected = [steps, envs] + (subSteps.map { [$0] } ?? [])
            throw .shapeMismatch(field: field, expected: "\(expected)", actual: shape)
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
