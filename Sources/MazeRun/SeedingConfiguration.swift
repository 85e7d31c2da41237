import MazeConfig
import MazeCore
import MazeTrain

/// The `seeding` section as Maze's `MazeSeeding` reads it: base seeds, explicit seed lists and
/// `shuffle_seeds`.
///
/// A rollout with `explicit_env_seeds` / `explicit_agent_seeds` runs `min(n_episodes, n_seeds)` episodes
/// seeded from the lists in order (shuffled by the base seeds with `shuffle_seeds`). Without explicit env
/// seeds, episode `i` gets the env seed of episode `i` of a `RolloutEvaluator` with `env_base_seed`.
struct SeedingConfiguration {
    let envBaseSeed: UInt64
    let agentBaseSeed: UInt64
    let explicitEnvSeeds: [UInt64]?
    let explicitAgentSeeds: [UInt64]?
    let shuffleSeeds: Bool

    init(_ root: ConfigSection) throws {
        envBaseSeed = try TrainingSetup.baseSeed(root)
        agentBaseSeed = try TrainingSetup.baseSeed(root, key: "agent_base_seed")
        let seeding = root.nonNull("seeding")
        explicitEnvSeeds = try seeding.flatMap { try Self.seedList($0, key: "explicit_env_seeds") }
        explicitAgentSeeds = try seeding.flatMap { try Self.seedList($0, key: "explicit_agent_seeds") }
        shuffleSeeds = try seeding?.nonNull("shuffle_seeds")?.bool() ?? false
    }

    /// The rollout seeding of `nEpisodes` episodes.
    func rolloutSeeding(nEpisodes: Int) -> RolloutSeeding {
        RolloutSeeding(
            agentBaseSeed: agentBaseSeed,
            explicitEnvSeeds: shuffled(explicitEnvSeeds, seed: envBaseSeed)
                ?? RolloutEvaluator.episodeSeeds(
                    baseSeed: envBaseSeed, count: min(nEpisodes, explicitAgentSeeds?.count ?? nEpisodes)),
            explicitAgentSeeds: shuffled(explicitAgentSeeds, seed: agentBaseSeed))
    }

    /// Training seeds its envs and agents from the base seeds only: explicit lists and shuffling are
    /// refused by name rather than ignored.
    func refuseExplicitSeedsForTraining() throws {
        for (key, set) in [
            ("explicit_env_seeds", explicitEnvSeeds != nil), ("explicit_agent_seeds", explicitAgentSeeds != nil),
            ("shuffle_seeds", shuffleSeeds),
        ] where set {
            throw MazeRunError.invalidConfig(
                key: "seeding.\(key)",
                problem:
                    "applies to rollouts only; training seeds from seeding.env_base_seed and seeding.agent_base_seed")
        }
    }

    private func shuffled(_ seeds: [UInt64]?, seed: UInt64) -> [UInt64]? {
        guard var seeds, shuffleSeeds else { return seeds }
        var random = MazeRandom(seed: seed)
        for index in seeds.indices.reversed() where index > 0 {
            seeds.swapAt(index, Int(random.nextSeed() % UInt64(index + 1)))
        }
        return seeds
    }

    private static func seedList(_ seeding: ConfigSection, key: String) throws -> [UInt64]? {
        guard let list = seeding.nonNull(key) else { return nil }
        let seeds = try list.elements().map { element -> UInt64 in
            let value = try element.int()
            guard value >= 0 else {
                throw MazeRunError.invalidConfig(
                    key: "seeding.\(key)", problem: "seeds must not be negative, got \(value)")
            }
            return UInt64(value)
        }
        guard !seeds.isEmpty else {
            throw MazeRunError.invalidConfig(key: "seeding.\(key)", problem: "is empty; give at least one seed or ~")
        }
        return seeds
    }
}
