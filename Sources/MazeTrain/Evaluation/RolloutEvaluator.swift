import MazeCore
import MazeTensor

/// Scores a model by running `n_episodes` whole episodes in its own envs (Maze's RolloutEvaluator),
/// acting with the distributions' modes when `deterministic`; used for best-model selection.
///
/// Episode `i` of every evaluation is seeded the same way, so successive evaluations compare models
/// on the same starting states. With several envs (Maze's `runner.eval_concurrency`) the episodes are
/// played side by side, one batched policy call per step for all of them (and one message per env server
/// for bridged envs); each env takes the next unplayed episode when its episode ends, and the returns are
/// summed in episode order, so the result does not depend on how many envs played them.
package struct RolloutEvaluator {
    package let settings: EvaluatorSettings
    private let batch: StructuredEnvBatch
    private let seed: UInt64

    /// Evaluates in `envs` (at least one; same spaces), single-step or structured; wrap each in a
    /// `LogStatsWrapper` with prefix `eval` to get the episode statistics into the table.
    package init(envs: [any StructuredEnv], settings: EvaluatorSettings, seed: UInt64) throws {
        batch = try StructuredEnvBatch(envs: envs)
        self.settings = settings
        self.seed = seed
    }

    /// The evaluation environments, for wrappers such as observation normalization.
    package var envs: [any StructuredEnv] { batch.envs }

    /// The observation normalization wrappers of the evaluation envs (empty when they do not normalize).
    package var normalizationWrappers: [ObservationNormalizationWrapper] {
        envs.compactMap { $0.findWrapper(ObservationNormalizationWrapper.self) }
    }

    /// The evaluator's base seed for a training run seeded with `trainingSeed`: kept apart from the
    /// training envs' seeds, and package so that rollouts can replay the evaluation episodes.
    package static func seed(trainingSeed: UInt64) -> UInt64 { trainingSeed &+ 0xE7A1 }

    /// The env seed of each of the first `count` evaluation episodes of an evaluator with `baseSeed`:
    /// a rollout seeding episode `i` with element `i` replays the episodes that scored the models.
    package static func episodeSeeds(baseSeed: UInt64, count: Int) -> [UInt64] {
        resetSeeds(baseSeed: baseSeed, count: count).map(StructuredEnvBatch.envSeed(resetSeed:))
    }

    /// The seed each episode's env is reset with (see ``StructuredEnvBatch/reset(env:seed:)``).
    private static func resetSeeds(baseSeed: UInt64, count: Int) -> [UInt64] {
        var seeds = MazeRandom(seed: baseSeed)
        return (0..<max(0, count)).map { _ in seeds.nextSeed() }
    }

    /// The mean undiscounted episode return, and the evaluation envs' episode statistics if they log them.
    package func evaluate(_ model: some ActorCritic) throws -> (meanReturn: Double, stats: LogStats) {
        var random = MazeRandom(seed: seed ^ 0x5EED)
        let resetSeeds = Self.resetSeeds(baseSeed: seed, count: settings.nEpisodes)
        var returns = [Double](repeating: 0, count: resetSeeds.count)
        /// The episode each env plays, `nil` once no episode is left for it.
        var playing = [Int?](repeating: nil, count: envs.count)
        var nextEpisode = 0
        func startNextEpisode(in env: Int) throws {
            guard nextEpisode < resetSeeds.count else {
                playing[env] = nil
                return
            }
            try batch.reset(env: env, seed: resetSeeds[nextEpisode])
            playing[env] = nextEpisode
            nextEpisode += 1
        }
        batch.clearStates()
        for env in envs.indices { try startNextEpisode(in: env) }
        while playing.contains(where: { $0 != nil }) {
            let decision = try batch.runCycle(
                model: model, deterministic: settings.deterministic, random: &random,
                active: playing.map { $0 != nil })
            for env in envs.indices {
                guard let episode = playing[env] else { continue }
                returns[episode] += Double(decision.rewards[env])
                if decision.terminated[env] || decision.truncated[env] { try startNextEpisode(in: env) }
            }
        }
        let meanReturn = returns.reduce(0, +) / Double(settings.nEpisodes)
        let loggers = envs.compactMap { $0.findWrapper(LogStatsWrapper.self) }
        guard let first = loggers.first else { return (meanReturn, LogStats()) }
        var statistics = EpochStatistics()
        for logger in loggers { statistics.merge(logger.popEpochStatistics()) }
        return (meanReturn, statistics.reduce(prefix: first.loggingPrefix))
    }
}
