/// Extra per-step information (Maze's `info` dict), kept as text so it stays `Sendable` and cheap.
public typealias StepInfo = [String: String]

/// The scalar part of a step: reward and end-of-episode flags, without the observation.
///
/// This is what the in-place stepping path returns after writing the observation into a buffer.
public struct StepOutcome: Sendable, Hashable {
    /// The step reward.
    public var reward: Double
    /// The dynamics ended the episode (a terminal state).
    public var terminated: Bool
    /// The episode was cut short from outside the dynamics (e.g. by a time limit).
    public var truncated: Bool

    public init(reward: Double, terminated: Bool, truncated: Bool = false) {
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
    }

    /// Maze's `done`: the episode is over for either reason.
    public var done: Bool { terminated || truncated }
}

/// What an environment returns from a step: the next observation, the reward, the flags and info.
public struct StepResult: Sendable {
    public var observation: Observation
    public var outcome: StepOutcome
    public var info: StepInfo

    public init(observation: Observation, outcome: StepOutcome, info: StepInfo = [:]) {
        self.observation = observation
        self.outcome = outcome
        self.info = info
    }

    public var reward: Double {
        get { outcome.reward }
        set { outcome.reward = newValue }
    }
    public var terminated: Bool { outcome.terminated }
    public var truncated: Bool { outcome.truncated }
    public var done: Bool { outcome.done }
}

/// What a ``CoreEnv`` returns from a step: the next MazeState with reward, done flag and info.
public struct CoreStepResult<MazeState> {
    public var state: MazeState
    public var reward: Double
    public var done: Bool
    public var info: StepInfo

    public init(state: MazeState, reward: Double, done: Bool, info: StepInfo = [:]) {
        self.state = state
        self.reward = reward
        self.done = done
        self.info = info
    }
}

/// An observation: named float/int arrays, as the space of the current sub-step describes.
public typealias Observation = NamedArrays
/// An action: named float/int arrays, as the action space of the current sub-step describes.
public typealias Action = NamedArrays
