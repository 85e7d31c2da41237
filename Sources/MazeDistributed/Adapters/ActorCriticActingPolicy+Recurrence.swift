import MazeCore
import MazePerception
import MazeTensor
import MazeTrain
import MazeWire

/// A recurrent policy on an actor worker: each env's state is carried from step to step and across rollouts
/// (and across weight updates), reset to zeros where an episode ends, and every batch carries the state its envs
/// started the rollout with (`initial_state`, docs/PROTOCOL.md 4.1), from which the learner recomputes the rollout.
extension ActorCriticActingPolicy {
    /// Sizes the states for `envCount` envs (zeros the first time) and returns the rollout's initial state,
    /// `f4 [B, S]`; `nil` for a feed-forward policy.
    mutating func startRecurrentRollout(envCount: Int) throws -> WireTensor? {
        let width = model.recurrentStateWidth
        guard width > 0 else { return nil }
        recurrentStates.prepare(width: width, envCount: envCount)
        return try WireTensor(shape: [envCount, width], values: recurrentStates.values)
    }

    /// The policy's decision for `observations` `[B, width]`, stepping the carried states of a recurrent policy
    /// (the critic's state too, so that the learner's recomputation starts from the same states).
    mutating func decideCarryingState(_ observations: Tensor) throws -> PolicyDecision {
        guard recurrentStates.width > 0 else {
            // The policy alone: acting needs no critic values.
            return try model.decide(observations: observations, deterministic: false, random: &random)
        }
        let (decision, next) = try model.decide(
            observations: observations,
            state: Tensor(shape: [observations.shape[0], recurrentStates.width], scalars: recurrentStates.values),
            deterministic: false, random: &random)
        recurrentStates.values = next.scalars
        return decision
    }
}
