import Foundation
import MazeCore
import MazeSystem
import MazeTensor

/// Trains in one process (Maze's `runner=dev`): a vector env is stepped with the current model, each
/// rollout goes straight to the algorithm's update, and after every epoch the rollout evaluator decides
/// whether the model is the best so far (then it is checkpointed) and whether patience ran out.
///
/// The same loop serves A2C, PPO and IMPALA: only the update rule differs. (In one process IMPALA's
/// actors are stepped in turn by the learner, so their rollouts are one policy version old at most.)
public final class DevRunner<Model: ActorCritic> {
    /// Settings outside Maze's algorithm section: where to write, how to seed, when to stop early.
    public struct Options: Sendable {
        /// Directory for checkpoints of the best model; `nil` keeps everything in memory.
        public var outputDirectory: URL?
        /// Seeds the envs, the sampling of actions and the minibatch order.
        public var seed: UInt64 = 0
        /// Stop as soon as an evaluation reaches this mean return (learning tests, benchmarks).
        public var targetReturn: Double?
        /// Stop after this many env steps (a safety net for tests).
        public var maxEnvSteps: Int?
        /// Samples drawn to estimate observation normalization statistics when the envs normalize
        /// (`normalization_samples` of `runner/dev.yaml`).
        public var normalizationSamples = 1000
        /// The composed configuration, saved with every checkpoint.
        public var configYAML: String?
        /// Where console lines go (the statistics table, epoch times, new best models).
        public var log: @Sendable (String) -> Void = { print($0) }
        /// Receives each epoch's number and statistics (the table's rows), so that stats files and
        /// dashboards can be fed alongside the console.
        public var onEpoch: @Sendable (_ epoch: Int, _ stats: LogStats) -> Void = { _, _ in }
        /// Receives the updates done so far in the current epoch and the epoch's length, for progress bars:
        /// `0` when the epoch starts (so that rates count the first update), then after every update.
        public var onUpdate: @Sendable (_ completed: Int, _ total: Int) -> Void = { _, _ in }

        public init() {}
    }

    /// How a training run ended.
    public struct Summary: Sendable {
        public var epochs: Int
        public var envSteps: Int
        /// The best evaluation's mean return.
        public var bestReturn: Double?
        /// Env steps taken when an evaluation first reached ``Options/targetReturn``.
        public var envStepsToTarget: Int?
        /// Learner samples (rows of training data) processed per second of update time.
        public var learnerSamplesPerSecond: Double
        /// Env steps per second of rollout time.
        public var envStepsPerSecond: Double
    }

    public private(set) var model: Model
    public private(set) var optimizer: Adam
    private let algorithm: any ActorCriticAlgorithm
    private var collector: any RolloutSource
    private let evaluator: RolloutEvaluator
    private let options: Options
    private var random: MazeRandom

    /// A runner training `model` with `algorithm` on `env` (vector env of training envs, wrapped in
    /// `LogStatsWrapper`s with prefix `train` for the table) and evaluating with `evaluator`.
    public convenience init(
        algorithm: any ActorCriticAlgorithm, model: Model, env: any VectorEnv, evaluator: RolloutEvaluator,
        options: Options = Options()
    ) throws {
        try self.init(
            algorithm: algorithm, model: model, evaluator: evaluator, options: options,
            collector: VectorRolloutCollector(env: env, stepCount: algorithm.common.nRolloutSteps))
    }

    /// A runner for structured envs (several sub-steps per decision), stepped in lockstep.
    public convenience init(
        algorithm: any ActorCriticAlgorithm, model: Model, structuredEnvs: [any StructuredEnv], evaluator: RolloutEvaluator,
        options: Options = Options()
    ) throws {
        try self.init(
            algorithm: algorithm, model: model, evaluator: evaluator, options: options,
            collector: StructuredRolloutCollector(envs: structuredEnvs, stepCount: algorithm.common.nRolloutSteps))
    }

    private init(
        algorithm: any ActorCriticAlgorithm, model: Model, evaluator: RolloutEvaluator, options: Options,
        collector: any RolloutSource
    ) {
        self.algorithm = algorithm
        self.model = model
        optimizer = algorithm.makeOptimizer()
        self.collector = collector
        self.evaluator = evaluator
        self.options = options
        random = MazeRandom(seed: options.seed)
    }

    /// Continues from a checkpoint (`input_dir`): weights, normalization statistics, and the optimizer
    /// state when it fits this model's parameters — so a PPO checkpoint can continue as A2C.
    public func resume(from checkpoint: Checkpoint) throws {
        for name in model.parameters.names {
            let saved = try checkpoint.weights.tensor(named: name)
            let current = try model.parameters.tensor(named: name)
            guard saved.shape == current.shape else {
                throw TrainError.checkpoint(
                    path: Checkpoint.weightsFile, problem: "'\(name)' has shape \(saved.shape), the model needs \(current.shape)")
            }
            model.parameters[name] = saved
        }
        if let state = checkpoint.optimizer, Self.fits(state, model.parameters) { optimizer.restore(state) }
        if let statistics = checkpoint.normalization { setNormalization(statistics) }
    }

    /// Continues from the run folder named by the config's `input_dir` (its best model; see
    /// ``Checkpoint/load(inputDirectory:)``); an empty value starts afresh.
    public func resume(inputDirectory: String) throws {
        guard !inputDirectory.isEmpty else { return }
        try resume(from: Checkpoint.load(inputDirectory: inputDirectory))
    }

    /// Trains until `n_epochs`, patience, the target return or the step limit stops it.
    public func train() throws -> Summary {
        let common = algorithm.common
        try collector.reset(seed: options.seed)
        try estimateNormalizationIfNeeded()
        var summary = Summary(epochs: 0, envSteps: try collectInitialRandomSteps(), learnerSamplesPerSecond: 0, envStepsPerSecond: 0)
        var selection = BestModelSelection(patience: common.patience)
        var (rolloutTime, updateTime, learnerSamples) = (0.0, 0.0, 0)
        let clock = ContinuousClock()
        while common.nEpochs == 0 || summary.epochs < common.nEpochs {
            let epochStart = clock.now
            var learner = LearnerStatistics()
            let trainPolicy = summary.epochs >= common.criticBurnInEpochs
            var epochRollout = 0.0, epochUpdate = 0.0
            options.onUpdate(0, common.epochLength)
            for update in 0..<common.epochLength {
                let rolloutStart = clock.now
                summary.envSteps += try collector.collect(with: model, random: &random)
                let updateStart = clock.now
                try algorithm.update(
                    collector.buffer, model: &model, optimizer: &optimizer, random: &random, trainPolicy: trainPolicy,
                    statistics: &learner)
                epochRollout += (updateStart - rolloutStart).inSeconds
                epochUpdate += (clock.now - updateStart).inSeconds
                learnerSamples += collector.buffer.count * algorithm.passesPerRollout
                options.onUpdate(update + 1, common.epochLength)
            }
            rolloutTime += epochRollout
            updateTime += epochUpdate
            summary.epochs += 1

            let evaluation = try evaluator.evaluate(model)
            logEpoch(
                summary.epochs, learner: learner, evaluation: evaluation.stats,
                times: Self.timeStatistics(
                    epoch: (clock.now - epochStart).inSeconds, rollout: epochRollout, update: epochUpdate, updates: common.epochLength))

            if selection.update(evaluation.meanReturn) {
                options.log(String(format: "-> new overall best model %.5f!", evaluation.meanReturn))
                if let directory = options.outputDirectory { try checkpoint().save(to: directory) }
            }
            summary.bestReturn = selection.best
            if let target = options.targetReturn, evaluation.meanReturn >= target {
                summary.envStepsToTarget = summary.envSteps
                break
            }
            if selection.shouldStop {
                options.log("-> no improvement for \(common.patience) epochs, stopping")
                break
            }
            if let limit = options.maxEnvSteps, summary.envSteps >= limit { break }
        }
        summary.envStepsPerSecond = rolloutTime > 0 ? Double(summary.envSteps) / rolloutTime : 0
        summary.learnerSamplesPerSecond = updateTime > 0 ? Double(learnerSamples) / updateTime : 0
        return summary
    }

    /// Steps the envs with uniformly random actions for the algorithm's ``ActorCriticAlgorithm/initialRandomSteps``
    /// (none for on-policy algorithms), handing each rollout to the algorithm; returns the env steps taken.
    private func collectInitialRandomSteps() throws -> Int {
        guard algorithm.initialRandomSteps > 0, let env = collector.envs.first else { return 0 }
        let uniform = UniformRandomActions(model, actionSpaces: env.actionSpaces.keys.sorted().compactMap { env.actionSpaces[$0] })
        var statistics = LearnerStatistics()
        var steps = 0
        while steps < algorithm.initialRandomSteps {
            steps += try collector.collect(with: uniform, random: &random)
            try algorithm.update(
                collector.buffer, model: &model, optimizer: &optimizer, random: &random, trainPolicy: false, statistics: &statistics)
        }
        return steps
    }

    /// The current weights, optimizer state, normalization statistics and config.
    public func checkpoint() -> Checkpoint {
        Checkpoint(
            weights: model.parameters, optimizer: optimizer.state,
            normalization: normalizationWrappers().first?.statistics, configYAML: options.configYAML)
    }

    /// Maze's `time_*` statistics: `time_epoch` the whole epoch (evaluation included), `time_rollout` and
    /// `time_update` the mean time of one rollout and of one update (Maze records them per update and
    /// averages over the epoch), from the epoch's totals over `updates` updates.
    static func timeStatistics(epoch: Double, rollout: Double, update: Double, updates: Int) -> [(String, Double)] {
        let count = Double(max(1, updates))
        return [("time_epoch", epoch), ("time_rollout", rollout / count), ("time_update", update / count)]
    }

    /// Prints the epoch's table (training episodes, trainer figures and times, evaluation) and its duration.
    private func logEpoch(_ epoch: Int, learner: LearnerStatistics, evaluation: LogStats, times: [(String, Double)]) {
        var stats = trainStatistics()
        for entry in learner.reduce(prefix: "train").entries { stats.append(entry.key, entry.value) }
        for (name, seconds) in times {
            stats.append(StatKey(prefix: "train", topic: LearnerStatistics.topic, event: name, name: ""), .number(seconds))
        }
        stats.append(contentsOf: evaluation)
        options.log(StatsTable.format(step: epoch, stats: stats))
        options.onEpoch(epoch, stats)
        options.log(String(format: "Time required for epoch: %.2fs", times.first?.1 ?? 0))
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

    private func normalizationWrappers() -> [ObservationNormalizationWrapper] {
        (collector.envs + [evaluator.env]).compactMap { $0.findWrapper(ObservationNormalizationWrapper.self) }
    }

    private func setNormalization(_ statistics: NormalizationStatistics) {
        for wrapper in normalizationWrappers() { wrapper.statistics = statistics }
    }

    /// Estimates the statistics on the first training env and shares them with every other env, as
    /// Maze's runners do before training starts; statistics loaded from a checkpoint are kept.
    private func estimateNormalizationIfNeeded() throws {
        let wrappers = normalizationWrappers()
        guard let first = wrappers.first, first.statistics == nil else { return }
        try first.estimateStatistics(samples: options.normalizationSamples, seed: options.seed)
        if let statistics = first.statistics { setNormalization(statistics) }
        try collector.reset(seed: options.seed)
    }

    private static func fits(_ state: OptimizerState, _ parameters: ParameterStore) -> Bool {
        state.slots.values.allSatisfy { store in
            store.names.allSatisfy { name in parameters[name]?.shape == store[name]?.shape }
        }
    }
}
