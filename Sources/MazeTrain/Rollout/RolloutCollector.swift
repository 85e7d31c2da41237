import MazeCore
import MazeTensor

/// Steps a vector env for `T` steps with a model's sampled actions and writes every step into a
/// reused ``RolloutBuffer``: the acting half of every dev runner.
struct RolloutCollector {
    let env: any VectorEnv
    private(set) var buffer: RolloutBuffer

    init(env: any VectorEnv, stepCount: Int) throws {
        self.env = env
        buffer = try RolloutBuffer(stepCount: stepCount, env: env)
    }

    /// Fills the buffer with the next `T` steps and returns the number of env steps taken.
    mutating func collect(with model: some ActorCritic, random: inout MazeRandom) throws -> Int {
        for step in 0..<buffer.stepCount {
            let observations = env.observations
            let decision = try model.act(
                observations: .matrix(observations, width: buffer.observationWidth), deterministic: false, random: &random)
            buffer.recordDecision(step: step, observations: observations, actions: decision.actions, logProbs: decision.logProbs)
            env.actions = decision.actions
            try env.step()
            buffer.recordOutcome(step: step, from: env)
        }
        return buffer.count
    }
}
