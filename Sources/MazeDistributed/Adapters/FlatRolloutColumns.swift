import MazeCore
import MazeService
import MazeWire

/// The columns of an actor's flat rollouts (`T` steps of `B` envs, docs/PROTOCOL.md 4.1), allocated once and
/// rewritten by every rollout: stepping writes each step's observations, decisions and outcomes into them, and
/// ``batch(_:episodes:initialState:)`` copies them into the rollout's wire tensors once at the end. An actor's
/// env steps therefore allocate nothing.
///
/// Scratch: copies of the policy holding it share it, so use it from one thread at a time (the worker's).
final class FlatRolloutColumns {
    let steps: Int
    let envs: Int
    let observationWidth: Int
    let actionWidth: Int
    let logitsWidth: Int
    /// `[T+1, B, observationWidth]`: the observations each step's actions were chosen on, and the last ones.
    let observations: UnsafeMutableBufferPointer<Float>
    /// `[T+1, B, observationWidth]`: row `t+1` of an env whose episode ended at step `t` holds its last
    /// observation, the rest zeros.
    let finalObservations: UnsafeMutableBufferPointer<Float>
    /// `[T, B, actionWidth]`.
    let actions: UnsafeMutableBufferPointer<Float>
    /// `[T, B]`.
    let logProbs: UnsafeMutableBufferPointer<Float>
    /// `[T, B, logitsWidth]`.
    let logits: UnsafeMutableBufferPointer<Float>
    /// `[T, B]`.
    let rewards: UnsafeMutableBufferPointer<Float>
    /// `[T, B]`, the wire's `b1` bytes (1 for true).
    let terminated: UnsafeMutableBufferPointer<UInt8>
    let truncated: UnsafeMutableBufferPointer<UInt8>

    init(steps: Int, envs: Int, observationWidth: Int, actionWidth: Int, logitsWidth: Int) {
        self.steps = steps
        self.envs = envs
        self.observationWidth = observationWidth
        self.actionWidth = actionWidth
        self.logitsWidth = logitsWidth
        func zeros<Element: Numeric>(_ count: Int) -> UnsafeMutableBufferPointer<Element> {
            let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: max(count, 1))
            buffer.initialize(repeating: 0)
            return UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
        }
        observations = zeros((steps + 1) * envs * observationWidth)
        finalObservations = zeros((steps + 1) * envs * observationWidth)
        actions = zeros(steps * envs * actionWidth)
        logProbs = zeros(steps * envs)
        logits = zeros(steps * envs * logitsWidth)
        rewards = zeros(steps * envs)
        terminated = zeros(steps * envs)
        truncated = zeros(steps * envs)
    }

    deinit {
        for buffer in [observations, finalObservations, actions, logProbs, logits, rewards] {
            buffer.baseAddress?.deallocate()
        }
        for buffer in [terminated, truncated] { buffer.baseAddress?.deallocate() }
    }

    /// The `B` observation rows of step `step` (`T` for the last observations).
    func observationRows(_ step: Int) -> UnsafeMutableBufferPointer<Float> {
        rows(of: observations, step: step, width: observationWidth)
    }

    func actionRows(_ step: Int) -> UnsafeMutableBufferPointer<Float> {
        rows(of: actions, step: step, width: actionWidth)
    }

    func logProbRow(_ step: Int) -> UnsafeMutableBufferPointer<Float> { rows(of: logProbs, step: step, width: 1) }

    func logitRows(_ step: Int) -> UnsafeMutableBufferPointer<Float> {
        rows(of: logits, step: step, width: logitsWidth)
    }

    /// Clears the final observations of the previous rollout.
    func startRollout() {
        finalObservations.update(repeating: 0)
    }

    /// Copies step `step`'s outcome: rewards and flags, and the final observation (`finals`, the vector env's rows)
    /// of every env whose episode ended.
    func record(
        step: Int, rewards stepRewards: [Float], terminated stepTerminated: [Bool], truncated stepTruncated: [Bool],
        finals: [Float]
    ) {
        let start = step * envs
        for index in 0..<envs {
            rewards[start + index] = stepRewards[index]
            terminated[start + index] = stepTerminated[index] ? 1 : 0
            truncated[start + index] = stepTruncated[index] ? 1 : 0
            guard stepTerminated[index] || stepTruncated[index] else { continue }
            let row = ((step + 1) * envs + index) * observationWidth
            for column in 0..<observationWidth {
                finalObservations[row + column] = finals[index * observationWidth + column]
            }
        }
    }

    /// The rollout as a batch tagged with `identity`, with `episodes` (the episodes it ended) and, for a recurrent
    /// policy, the envs' `initialState`.
    func batch(_ identity: RolloutIdentity, episodes: [MazeWire.EpisodeSummary], initialState: WireTensor?) throws
        -> TrajectoryBatch
    {
        let (observationShape, stepShape) = ([steps + 1, envs, observationWidth], [steps, envs])
        return try TrajectoryBatch(
            experimentID: identity.experimentID, actorID: identity.actorID, policyVersion: identity.policyVersion,
            steps: steps, envs: envs,
            observations: [
                ActorCriticActingPolicy.observationKey: Self.tensor(observations, shape: observationShape),
                ActorCriticActingPolicy.finalObservationKey: Self.tensor(finalObservations, shape: observationShape),
            ],
            actions: [ActorCriticActingPolicy.actionKey: Self.tensor(actions, shape: [steps, envs, actionWidth])],
            rewards: Self.tensor(rewards, shape: stepShape),
            terminated: WireTensor(dtype: .bool, shape: stepShape, bytes: Array(terminated)),
            truncated: WireTensor(dtype: .bool, shape: stepShape, bytes: Array(truncated)),
            behaviourLogProbs: Self.tensor(logProbs, shape: stepShape),
            behaviourLogits: [
                ActorCriticActingPolicy.actionKey: Self.tensor(logits, shape: [steps, envs, logitsWidth])
            ],
            episodes: episodes, initialState: initialState)
    }

    private func rows(of buffer: UnsafeMutableBufferPointer<Float>, step: Int, width: Int)
        -> UnsafeMutableBufferPointer<Float>
    {
        let start = step * envs * width
        return UnsafeMutableBufferPointer(rebasing: buffer[start..<(start + envs * width)])
    }

    private static func tensor(_ values: UnsafeMutableBufferPointer<Float>, shape: [Int]) throws -> WireTensor {
        try WireTensor(dtype: .float32, shape: shape, bytes: Array(UnsafeRawBufferPointer(values)))
    }
}
