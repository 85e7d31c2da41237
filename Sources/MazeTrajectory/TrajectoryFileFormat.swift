/// The names and version of the trajectory file format (docs/TRAJECTORIES.md).
enum TrajectoryFileFormat {
    static let name = "maze-trajectory"
    static let version: UInt64 = 1
    /// The folder below a run's output directory that holds the files (Maze's `trajectory_data`).
    static let directoryName = "trajectory_data"

    enum Keys {
        static let format = "format"
        static let version = "version"
        static let episodeIndex = "episode_index"
        static let envSeed = "env_seed"
        static let agentSeed = "agent_seed"
        static let steps = "steps"
        static let actor = "actor"
        static let stepKey = "step_key"
        static let agentID = "agent_id"
        static let observation = "observation"
        static let action = "action"
        static let reward = "reward"
        static let terminated = "terminated"
        static let truncated = "truncated"
        static let info = "info"
        static let dtype = "dtype"
        static let shape = "shape"
        static let data = "data"
    }

    /// The file name of episode `index`; zero-padded so that a directory listing sorts by episode.
    static func fileName(episodeIndex: Int) -> String {
        let digits = String(episodeIndex)
        return "episode_" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".msgpack"
    }
}
