/// The per-step quantities shared by GAE and V-trace, time-major over `[T, B]`: element `t * B + b` is
/// step `t` of env `b`.
///
/// `nextValues[t, b]` is the critic's value of the observation that followed step `t`: for a step that
/// was cut short by a time limit it is the value of the episode's final observation (so the return is
/// bootstrapped from it), for the last step of the rollout it is the value of the observation the next
/// rollout starts from. On termination it is ignored: the episode has no future.
public struct BootstrapInputs: Sendable {
    /// Rollout length `T`.
    public let stepCount: Int
    /// Number of envs `B`.
    public let envCount: Int
    /// `r_t`.
    public let rewards: [Float]
    /// `V(x_t)`.
    public let values: [Float]
    /// `V(x_{t+1})`, the final observation's value where an episode was truncated.
    public let nextValues: [Float]
    /// The episode ended by its dynamics at step `t`: no bootstrap.
    public let terminated: [Bool]
    /// The episode was cut short at step `t`: bootstrap from `nextValues`, but do not carry the recursion
    /// over into the next episode.
    public let truncated: [Bool]

    /// Checks that every array holds `stepCount × envCount` elements.
    public init(
        stepCount: Int, envCount: Int, rewards: [Float], values: [Float], nextValues: [Float],
        terminated: [Bool], truncated: [Bool]
    ) throws(TrainError) {
        let count = stepCount * envCount
        guard stepCount > 0, envCount > 0 else {
            throw .shapeMismatch("a rollout needs at least one step and one env, got [\(stepCount), \(envCount)]")
        }
        let lengths = [
            ("rewards", rewards.count), ("values", values.count), ("nextValues", nextValues.count),
            ("terminated", terminated.count), ("truncated", truncated.count),
        ]
        for (name, length) in lengths where length != count {
            throw .shapeMismatch("\(name) has \(length) elements, [\(stepCount), \(envCount)] needs \(count)")
        }
        self.stepCount = stepCount
        self.envCount = envCount
        self.rewards = rewards
        self.values = values
        self.nextValues = nextValues
        self.terminated = terminated
        self.truncated = truncated
    }

    /// `r_t + γ V(x_{t+1})` with the bootstrap dropped on termination: the one-step target.
    func oneStepTarget(_ index: Int, gamma: Float, nextValue: Float) -> Float {
        rewards[index] + (terminated[index] ? 0 : gamma * nextValue)
    }

    /// Whether the recursion stops at this step (the next step belongs to another episode).
    func episodeEnds(_ index: Int) -> Bool {
        terminated[index] || truncated[index]
    }
}
