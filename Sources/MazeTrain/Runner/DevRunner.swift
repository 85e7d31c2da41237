import Foundation
import MazeCore
import MazeSystem
import MazeTensor

/// Trains in one process (Maze's `runner=dev`): a vector env is stepped with the current model and each
/// rollout feeds a ``TrainingSession``, which updates, evaluates at every epoch's end (synchronously, as Maze's
/// dev runner does), keeps the best model and decides when to stop.
///
/// The same loop serves A2C, PPO and IMPALA: only the update rule differs. (In one process IMPALA's
/// actors are stepped in turn by the learner, so their rollouts are one policy version old at most.)
package final class DevRunner<Model: ActorCritic> {
    /// Settings outside Maze's algorithm section: where to write, how to seed, when to stop early.
    package struct Options: Sendable {
        /// Directory for checkpoints of the best model; `nil` keeps everything in memory.
        package var outputDirectory: URL?
        /// Seeds the envs, the sampling of actions and the minibatch order.
        package var seed: UInt64 = 0
        /// Stop as soon as an evaluation reaches this mean return (learning tests, benchmarks).
        package var targetReturn: Double?
        /// Stop after this many env steps (a safety net for tests).
        package var maxEnvSteps: Int?
        /// Samples drawn to estimate observation normalization statistics when the envs normalize
        /// (`normalization_samples` of `runner/dev.yaml`).
        package var normalizationSamples = 1000
        /// Evaluation envs playing the evaluation episodes side by side (`runner.eval_concurrency`, see
        /// ``DevRunnerSettings/evaluationEnvCount``).
        package var evaluationEnvCount = 1
        /// The composed configuration, saved with every checkpoint.
        package var configYAML: String?
        /// Where console lines go (the statistics table, epoch times, new best models).
        package var log: @Sendable (String) -> Void = { print($0) }
        /// Receives each epoch's number and statistics (the table's rows), so that stats files and
        /// dashboards can be fed alongside the console.
        package var onEpoch: @Sendable (_ epoch: Int, _ stats: LogStats) throws -> Void = { _, _ in }
        /// Receives the updates done so far in the current epoch and the epoch's length, for progress bars:
        /// `0` when the epoch starts (so that rates count the first update), then after every update.
        package var onUpdate: @Sendable (_ completed: Int, _ total: Int) -> Void = { _, _ in }

        package init() {}
    }

    /// How a training run ended (the same for every model).
    package typealias Summary = TrainingSummary

    /// The session this runner feeds: model, optimizer, epochs, evaluation and best model.
    package let session: TrainingSession<Model>
    private var collector: any RolloutSource
    private let algorithm: any ActorCriticAlgorithm
    private let options: Options

    package var optimizer: Adam { session.optimizer }

    /// A runner training `model` with `algorithm` on `env` (vector env of training envs, wrapped in
    /// `LogStatsWrapper`s with prefix `train` for the table) and evaluating with `evaluator`.
    package convenience init(
        algorithm: any ActorCriticAlgorithm, model: Model, env: any VectorEnv, evaluator: RolloutEvaluator,
        options: Options = Options()
    ) throws {
        try self.init(
            algorithm: algorithm, model: model, evaluator: evaluator, options: options,
            collector: VectorRolloutCollector(env: env, stepCount: algorithm.common.nRolloutSteps))
    }

    /// A runner for structured envs (several sub-steps per decision), stepped in lockstep.
    package convenience init(
        algorithm: any ActorCriticAlgorithm, model: Model, structuredEnvs: [any StructuredEnv],
        evaluator: RolloutEvaluator,
        options: Options = Options()
    ) throws {
        try self.init(
            algorithm: algorithm, model: model, evaluator: evaluator, options: options,
            collector: StructuredRolloutCollector(envs: structuredEnvs, stepCount: algorithm.common.nRolloutSteps))
    }

    init(
        algorithm: any ActorCriticAlgorithm, model: Model, evaluator: RolloutEvaluator, options: Options,
        collector: any RolloutSource
    ) {
        session = TrainingSession(
            algorithm: algorithm, model: model, evaluator: evaluator, trainingEnvs: collector.envs,
            options: options.sessionOptions)
        self.collector = collector
        self.algorithm = algorithm
        self.options = options
    }

    /// Trains until `n_epochs`, patience, the target return or the step limit stops it.
    package func train() throws -> Summary {
        try collector.reset(seed: options.seed)
        if try session.estimateNormalizationIfNeeded() { try collector.reset(seed: options.seed) }
        let initialEnvSteps = try collectInitialRandomSteps()
        let clock = ContinuousClock()
        return try Self.train(
            session, options: options, initialEnvSteps: initialEnvSteps,
            trainStatistics: trainStatisticsWithCollectorRows
        ) {
            let rolloutStart = clock.now
            let envSteps = try collector.collect(with: session.model, random: &session.random)
            let rolloutSeconds = (clock.now - rolloutStart).inSeconds
            try session.update(collector.buffer, rolloutSeconds: rolloutSeconds)
            return (envSteps, rolloutSeconds)
        }
    }

    /// Steps the envs with uniformly random actions for the algorithm's ``ActorCriticAlgorithm/initialRandomSteps``
    /// (none for on-policy algorithms), handing each rollout to the algorithm; returns the env steps taken. With an
    /// ``ActorCriticAlgorithm/initialRandomActionRepeat`` above 1 each env holds its action that many decisions (a
    /// redraw waits for the end of a rollout of `n_rollout_steps`, SAC's default 1).
    private func collectInitialRandomSteps() throws -> Int {
        guard algorithm.initialRandomSteps > 0, let env = collector.envs.first else { return 0 }
        var uniform = UniformRandomActions(
            session.model, actionSpaces: env.actionSpaces.keys.sorted().compactMap { env.actionSpaces[$0] })
        let actionRepeat = algorithm.initialRandomActionRepeat
        var decisionsHeld = actionRepeat
        var steps = 0
        while steps < algorithm.initialRandomSteps {
            if actionRepeat > 1, decisionsHeld >= actionRepeat {
                uniform.held = try uniform.actionSpaces.map {
                    try $0.uniformRandomActions(rows: collector.envs.count, random: &session.random)
                }
                decisionsHeld = 0
            }
            steps += try collector.collect(with: uniform, random: &session.random)
            decisionsHeld += algorithm.common.nRolloutSteps
            try session.warmUp(collector.buffer)
        }
        return steps
    }

    /// The epoch's training episodes, from the training envs' `LogStatsWrapper`s.
    /// The training episodes' statistics and the rows the rollout source adds of its own (behavioural cloning's
    /// validation loss).
    private func trainStatisticsWithCollectorRows() throws -> LogStats {
        var statistics = trainStatistics()
        statistics.append(contentsOf: try collector.epochStatistics(model: session.model))
        return statistics
    }

    private func trainStatistics() -> LogStats {
        var epoch = EpochStatistics()
        var prefix = "train"
        for env in collector.envs {
            guard let logger = env.findWrapper(LogStatsWrapper.self) else { continue }
            prefix = logger.loggingPrefix
            epoch.merge(logger.popEpochStatistics())
        }
        return epoch.reduce(prefix: prefix)
    }
}
