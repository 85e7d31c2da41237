/// The outcome of one episode that finished during a trajectory batch, for the learner's statistics.
public struct EpisodeSummary: Sendable, Equatable {
    /// The undiscounted sum of rewards over the episode.
    public var episodeReturn: Double
    /// The number of steps the episode took.
    public var length: Int
    /// Named key performance indicators the environment reported for the episode.
    public var kpis: [String: Double]

    public init(episodeReturn: Double, length: Int, kpis: [String: Double] = [:]) {
        self.episodeReturn = episodeReturn
        self.length = length
        self.kpis = kpis
    }
}
