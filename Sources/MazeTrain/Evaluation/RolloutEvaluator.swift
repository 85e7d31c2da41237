import MazeCore
import MazeTensor

/// Scores a model by running `n_episodes` whole episodes in its own env (Maze's RolloutEvaluator),
/// acting with the distributions' modes when `deterministic`; used for best-model selection.
///
/// Episode `i` of every evaluation is seeded the same way, so successive evaluations compare models
/// on the same starting states.
package struct RolloutEvaluator {
    package let settings: EvaluatorSettings
    private let batch: StructuredEnvBatch
    private let seed: UInt64

    /// Evaluates in `env`, single-step or structured; wrap it in a `LogStatsWrapper` with prefix `eval`
    /// to get the episode statistics into the table.
    package init(env: any StructuredEnv, settings: EvaluatorSettings, seed: UInt64) throws {
        batch = try StructuredEnvBatch(envs: [env])
        self.settings = settings
        self.seed = seed
    }

    /// The evaluation environment, for wrappers such as observation normalization.
    package var env: any StructuredEnv { batch.envs[0] }

    /// The evaluator's base seed for a training run seeded with `trainingSeed`: kept apart from the
    /// training envs' seeds, and package so that rollouts can replay the evaluation episodes.
    package static func seed(trainingSeed: UInt64) -> UInt64 { trainingSeed &+ 0xE7A1 }

    /// The env seed of each of the first `count` evaluation episodes of an evaluator with `baseSeed`:
    /// a rollout seeding episode `i` with element `i` replays the episodes that scored the models.
    package static func episodeSeeds(baseSeed: UInt64, count: Int) -> [UInt64] {
        resetSeeds(baseSeed: baseSeed, count: count).map { resetSeed in
            // What `StructuredEnvBatch.reset(seed:)` gives its single env.
            var envSeeds = MazeRandom(seed: resetSeed)
            return envSeeds.nextSeed()
        }
    }

    /// The seed handed to the env batch's reset before each episode.
    private static func resetSeeds(baseSeed: UInt64, count: Int) -> [UInt64] {
        var seeds = MazeRandom(seed: baseSeed)
        return (0..<max(0, count)).map { _ in seeds.nextSeed() }
    }

    /// The mean undiscounted episode return, and the evaluation env's episode statistics if it logs them.
    package func evaluate(_ model: some ActorCritic) throws -> (meanReturn: Double, stats: LogStats) {
        var random = MazeRandom(seed: seed ^ 0x5EED)
        var total = 0.0
        for resetSeed in Self.resetSeeds(baseSeed: seed, count: settings.nEpisodes) {
            try batch.reset(seed: resetSeed)
            while true {
                let decision = try batch.runCycle(model: model, deterministic: settings.deterministic, random: &random)
                total += Double(decision.rewards[0])
                if decision.terminated[0] || decision.truncated[0] { break }
            }
        }
        let stats = env.findWrapper(LogStatsWrapper.self)?.reduceEpoch() ?? LogStats()
        return (total / Double(settings.nEpisodes), stats)
    }
}
