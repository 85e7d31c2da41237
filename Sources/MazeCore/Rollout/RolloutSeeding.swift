/// Per-episode env and agent seeds derived as Maze does: explicit seed lists when given (then
/// `min(nEpisodes, seeds)` episodes run), otherwise drawn from generators seeded with the base seeds.
package struct RolloutSeeding: Sendable, Hashable {
    package var envBaseSeed: UInt64
    package var agentBaseSeed: UInt64
    package var explicitEnvSeeds: [UInt64]?
    package var explicitAgentSeeds: [UInt64]?

    package init(
        envBaseSeed: UInt64 = 1234, agentBaseSeed: UInt64 = 4321, explicitEnvSeeds: [UInt64]? = nil,
        explicitAgentSeeds: [UInt64]? = nil
    ) {
        self.envBaseSeed = envBaseSeed
        self.agentBaseSeed = agentBaseSeed
        self.explicitEnvSeeds = explicitEnvSeeds
        self.explicitAgentSeeds = explicitAgentSeeds
    }

    /// The seeds of every episode to run; both lists have the same length.
    package func episodeSeeds(nEpisodes: Int) throws(MazeError) -> (env: [UInt64], agent: [UInt64]) {
        var count = nEpisodes
        if let explicitEnvSeeds { count = min(count, explicitEnvSeeds.count) }
        if let explicitAgentSeeds { count = min(count, explicitAgentSeeds.count) }
        if explicitEnvSeeds != nil, explicitAgentSeeds != nil, explicitEnvSeeds?.count != explicitAgentSeeds?.count {
            throw .invalidConfiguration("explicit env and agent seed lists must have the same length")
        }
        func seeds(_ explicit: [UInt64]?, base: UInt64) -> [UInt64] {
            if let explicit { return Array(explicit.prefix(count)) }
            var random = MazeRandom(seed: base)
            return (0..<count).map { _ in random.nextSeed() }
        }
        return (seeds(explicitEnvSeeds, base: envBaseSeed), seeds(explicitAgentSeeds, base: agentBaseSeed))
    }
}
