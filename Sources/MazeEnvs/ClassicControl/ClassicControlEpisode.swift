/// One episode of a classic-control task: the physics plus Gymnasium's `TimeLimit` truncation.
public struct ClassicControlEpisode<Dynamics: ClassicControlDynamics>: Sendable {
    /// The physical state; set it to start from a recorded state.
    public var dynamics: Dynamics
    /// Steps taken since the episode started.
    public private(set) var elapsedSteps = 0
    /// The step count at which the episode is truncated (Gymnasium's `max_episode_steps` by default).
    public let maxEpisodeSteps: Int

    public init(startingFrom dynamics: Dynamics, maxEpisodeSteps: Int = Dynamics.maxEpisodeSteps) {
        self.dynamics = dynamics
        self.maxEpisodeSteps = maxEpisodeSteps
    }

    /// Starts a new episode from `start`.
    public mutating func restart(from start: Dynamics) {
        dynamics = start
        elapsedSteps = 0
    }

    /// Steps the physics; `truncated` becomes true on the step that reaches ``maxEpisodeSteps``, as in Gymnasium.
    public mutating func step(_ action: Dynamics.Action) throws -> ClassicControlStepResult {
        let transition = try dynamics.step(action)
        elapsedSteps += 1
        return ClassicControlStepResult(
            reward: transition.reward,
            terminated: transition.terminated,
            truncated: elapsedSteps >= maxEpisodeSteps
        )
    }
}

/// Reward and the two end-of-episode flags of one step, as Gymnasium's `step` returns them.
public struct ClassicControlStepResult: Sendable, Equatable {
    public var reward: Double
    public var terminated: Bool
    public var truncated: Bool

    /// Whether the episode is over for either reason.
    public var done: Bool { terminated || truncated }
}
