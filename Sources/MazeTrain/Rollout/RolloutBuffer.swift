import MazeCore

/// One rollout of `T` steps of `B` envs in preallocated, time-major buffers (row `t * B + b`), written
/// in place from a ``VectorEnv`` step by step and reused for every rollout.
///
/// Besides what the policy saw and did, it keeps the *successor* observation of every step: the next
/// observation within the episode, or the final observation where the episode ended (the vector env
/// has already reset that row). The critic's values of the successors are the `nextValues` that GAE
/// and V-trace bootstrap from on truncation.
public struct RolloutBuffer: Sendable {
    /// `T`.
    public let stepCount: Int
    /// `B`.
    public let envCount: Int
    /// Floats per observation row.
    public let observationWidth: Int
    /// Floats per action row.
    public let actionWidth: Int
    /// `[T·B, observationWidth]`: the observation each action was chosen from.
    public private(set) var observations: [Float]
    /// `[T·B, observationWidth]`: the observation that followed each step (the final one on episode end).
    public private(set) var successorObservations: [Float]
    /// `[T·B, actionWidth]`.
    public private(set) var actions: [Float]
    /// `[T·B]`: log-probabilities of the actions under the policy that acted (the behaviour policy).
    public private(set) var behaviourLogProbs: [Float]
    /// `[T·B]`.
    public private(set) var rewards: [Float]
    /// `[T·B]`.
    public private(set) var terminated: [Bool]
    /// `[T·B]`.
    public private(set) var truncated: [Bool]
    /// `[B, stateWidth]`: the recurrent state each env carried into the rollout (empty for feed-forward models).
    public private(set) var initialStates: [Float] = []

    /// Buffers for `stepCount` steps of `envCount` envs with the given row widths.
    public init(stepCount: Int, envCount: Int, observationWidth: Int, actionWidth: Int) throws(TrainError) {
        guard stepCount > 0, envCount > 0, observationWidth > 0, actionWidth > 0 else {
            throw .shapeMismatch(
                "a rollout buffer needs positive sizes, got T=\(stepCount) B=\(envCount) "
                    + "observation width \(observationWidth) action width \(actionWidth)")
        }
        self.stepCount = stepCount
        self.envCount = envCount
        self.observationWidth = observationWidth
        self.actionWidth = actionWidth
        let rows = stepCount * envCount
        observations = [Float](repeating: 0, count: rows * observationWidth)
        successorObservations = observations
        actions = [Float](repeating: 0, count: rows * actionWidth)
        behaviourLogProbs = [Float](repeating: 0, count: rows)
        rewards = behaviourLogProbs
        terminated = [Bool](repeating: false, count: rows)
        truncated = terminated
    }

    /// A buffer sized for `env`'s spaces.
    public init(stepCount: Int, env: any VectorEnv) throws(TrainError) {
        try self.init(
            stepCount: stepCount, envCount: env.count, observationWidth: env.observationSpace.flatCount,
            actionWidth: env.actionSpace.flatCount)
    }

    /// Number of rows, `T·B`.
    public var count: Int { stepCount * envCount }

    /// Records the recurrent states the envs carry into the rollout, `[B, stateWidth]`.
    public mutating func recordInitialStates(_ states: [Float]) {
        initialStates = states
    }

    /// Records the observations step `step` acts on together with the chosen actions and their
    /// log-probabilities, before the env is stepped.
    public mutating func recordDecision(
        step: Int, observations rows: [Float], actions actionRows: [Float], logProbs: [Float]
    ) {
        let row = step * envCount
        observations.replaceSubrange(range(row, observationWidth), with: rows)
        actions.replaceSubrange(range(row, actionWidth), with: actionRows)
        behaviourLogProbs.replaceSubrange(row..<row + envCount, with: logProbs)
    }

    /// Records the outcome of step `step` from the vector env that was just stepped.
    public mutating func recordOutcome(step: Int, from env: any VectorEnv) {
        let row = step * envCount
        let (terminatedRow, truncatedRow) = (env.terminated, env.truncated)
        rewards.replaceSubrange(row..<row + envCount, with: env.rewards)
        terminated.replaceSubrange(row..<row + envCount, with: terminatedRow)
        truncated.replaceSubrange(row..<row + envCount, with: truncatedRow)
        let next = env.observations
        let finals = env.finalObservations
        let width = observationWidth
        successorObservations.withUnsafeMutableBufferPointer { successors in
            for env in 0..<envCount {
                let source = terminatedRow[env] || truncatedRow[env] ? finals : next
                for offset in 0..<width {
                    successors[(row + env) * width + offset] = source[env * width + offset]
                }
            }
        }
    }

    /// Records the outcome of step `step` given as `[B]` rows and `[B, observationWidth]` successors
    /// (the structured envs' path, which has no vector env buffers to copy from).
    public mutating func recordOutcome(
        step: Int, rewards stepRewards: [Float], terminated stepTerminated: [Bool], truncated stepTruncated: [Bool],
        successors: [Float]
    ) {
        let row = step * envCount
        rewards.replaceSubrange(row..<row + envCount, with: stepRewards)
        terminated.replaceSubrange(row..<row + envCount, with: stepTerminated)
        truncated.replaceSubrange(row..<row + envCount, with: stepTruncated)
        successorObservations.replaceSubrange(range(row, observationWidth), with: successors)
    }

    /// The buffers of a whole rollout, writable in place: what the learner service fills from its actors' batches
    /// without the per-step copies of ``recordDecision(step:observations:actions:logProbs:)``.
    public struct Storage {
        public let observations: UnsafeMutableBufferPointer<Float>
        public let successorObservations: UnsafeMutableBufferPointer<Float>
        public let actions: UnsafeMutableBufferPointer<Float>
        public let behaviourLogProbs: UnsafeMutableBufferPointer<Float>
        public let rewards: UnsafeMutableBufferPointer<Float>
        public let terminated: UnsafeMutableBufferPointer<Bool>
        public let truncated: UnsafeMutableBufferPointer<Bool>
    }

    /// Calls `body` with the buffers (laid out as the properties of the same names); the pointers are valid only
    /// inside `body`. Writes go to this buffer's own storage (copied first if it was shared).
    public mutating func withStorage<R>(_ body: (Storage) throws -> R) rethrows -> R {
        try observations.withUnsafeMutableBufferPointer { observations in
            try successorObservations.withUnsafeMutableBufferPointer { successors in
                try actions.withUnsafeMutableBufferPointer { actions in
                    try behaviourLogProbs.withUnsafeMutableBufferPointer { logProbs in
                        try rewards.withUnsafeMutableBufferPointer { rewards in
                            try terminated.withUnsafeMutableBufferPointer { terminated in
                                try truncated.withUnsafeMutableBufferPointer { truncated in
                                    try body(
                                        Storage(
                                            observations: observations, successorObservations: successors,
                                            actions: actions, behaviourLogProbs: logProbs, rewards: rewards,
                                            terminated: terminated, truncated: truncated))
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// GAE/V-trace inputs from the critic's values of ``observations`` and ``successorObservations``.
    public func bootstrapInputs(values: [Float], successorValues: [Float]) throws(TrainError) -> BootstrapInputs {
        try BootstrapInputs(
            stepCount: stepCount, envCount: envCount, rewards: rewards, values: values, nextValues: successorValues,
            terminated: terminated, truncated: truncated)
    }

    private func range(_ row: Int, _ width: Int) -> Range<Int> {
        row * width..<(row + envCount) * width
    }
}
