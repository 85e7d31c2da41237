import MazeCore
import MazeTensor

/// Scores a model by running `n_episodes` whole episodes in its own env (Maze's RolloutEvaluator),
/// acting with the distributions' modes when `deterministic`; used for best-model selection.
///
/// Episode `i` of every evaluation is seeded the same way, so successive evaluations compare models
/// on the same starting states.
public struct RolloutEvaluator {
    public let settings: EvaluatorSettings
    private let view: FlatEnvView
    private let seed: UInt64

    /// Evaluates in `env` (a single-step env; wrap it in a `LogStatsWrapper` with prefix `eval` to get
    /// the episode statistics into the table).
    public init(env: any StructuredEnv, settings: EvaluatorSettings, seed: UInt64) throws {
        view = try FlatEnvView(env)
        self.settings = settings
        self.seed = seed
    }

    /// The evaluation environment, for wrappers such as observation normalization.
    public var env: any StructuredEnv { view.env }

    /// The mean undiscounted episode return, and the evaluation env's episode statistics if it logs them.
    public func evaluate(_ model: some ActorCritic) throws -> (meanReturn: Double, stats: LogStats) {
        var seeds = MazeRandom(seed: seed)
        var random = MazeRandom(seed: seed ^ 0x5EED)
        let width = view.observationSpace.flatCount
        var total = 0.0
        for _ in 0..<settings.nEpisodes {
            var observation = try view.reset(seed: seeds.nextSeed())
            while true {
                let decision = try model.act(
                    observations: Tensor(shape: [1, width], scalars: observation), deterministic: settings.deterministic,
                    random: &random)
                let outcome = try view.step(decision.actions)
                total += outcome.reward
                observation = outcome.observation
                if outcome.terminated || outcome.truncated { break }
            }
        }
        let stats = view.env.findWrapper(LogStatsWrapper.self)?.reduceEpoch() ?? LogStats()
        return (total / Double(settings.nEpisodes), stats)
    }
}
