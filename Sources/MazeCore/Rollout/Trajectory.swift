/// One recorded step of an episode: what the actor saw and did and what followed.
public struct TrajectoryStep: Sendable {
    public var actorID: ActorID
    public var observation: Observation
    public var action: Action
    public var reward: Double
    public var terminated: Bool
    public var truncated: Bool
    public var info: StepInfo

    public init(
        actorID: ActorID, observation: Observation, action: Action, reward: Double, terminated: Bool, truncated: Bool,
        info: StepInfo
    ) {
        self.actorID = actorID
        self.observation = observation
        self.action = action
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
        self.info = info
    }
}

/// A recorded episode with its seeds: the value `record_trajectory` writes, one file per episode.
public struct TrajectoryRecord: Sendable {
    public var episodeIndex: Int
    public var envSeed: UInt64
    public var agentSeed: UInt64
    public var steps: [TrajectoryStep]

    public init(episodeIndex: Int, envSeed: UInt64, agentSeed: UInt64, steps: [TrajectoryStep] = []) {
        self.episodeIndex = episodeIndex
        self.envSeed = envSeed
        self.agentSeed = agentSeed
        self.steps = steps
    }
}

/// Persists trajectory records; `MazeTrajectory.MsgPackTrajectoryWriter` writes the msgpack files of
/// `record_trajectory` (docs/TRAJECTORIES.md), kept out of MazeCore so that it needs no system library.
public protocol TrajectoryWriter: Sendable {
    /// Writes one finished episode.
    func write(_ record: TrajectoryRecord) throws
}
