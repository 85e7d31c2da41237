import MazeCore
import MazeTensor

/// Scores a model by running `n_episodes` whole episodes in its own env (Maze's RolloutEvaluator),
/// acting with the distributions' modes when `deterministic`; used for best-model selection.
///
/// Episode `i` of every evaluation is seeded the same way, so successive evaluations compare models
/// on the same starting states.
public struct RolloutEvaluator {
    public let settings: EvaluatorSettings
    private let batch: StructuredEnvBatch
    private let seed: UInt64

    /// Evaluates in `env`, single-step or structured; wrap it in a `LogStatsWrapper` with prefix `eval`
    /// to get the episode statistics into the table.
    public init(env: any StructuredEnv, settings: EvaluatorSettings, seed: UInt64) throws {
        batch = try StructuredEnvBatch(envs: [env])
        self.settings = settings
        self.seed = seed
    }

    /// The evaluation environment, for wrappers such as observation normalization.
    public var env: any StructuredEnv { batch.envs[0] }

    /// The mean undiscounted episode return, and the evaluation env's episode statistics if it logs them.
    public func evaluate(_ model: some ActorCritic) throws -> (meanReturn: Double, stats: LogStats) {
        var seeds = MazeRandom(seed: seed)
        var random = MazeRandom(seed: seed ^ 0x5EED)
        var total = 0.0
        for _ in 0..<settings.nEpisodes {
            try batch.reset(seed: seeds.nextSeed())
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
