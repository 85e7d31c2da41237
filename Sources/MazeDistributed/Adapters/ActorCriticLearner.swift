import Foundation
import MazeCore
import MazePerception
import MazeTensor
import MazeTrain
import MazeWire

/// The learning half of an experiment: MazeTrain's IMPALA, PPO or A2C update on batches from the actors,
/// with the dev runner's epochs, evaluation and best-model selection.
///
/// IMPALA trains on batches up to Maze's staleness bound (V-trace corrects them); PPO and A2C only on batches
/// of the current version. Every `epoch_length` updates the rollout evaluator scores the model, the epoch's
/// statistics go to the experiment's folder as `maze run` writes them (`ExperimentOutputs`), and a new best
/// model is saved to its `checkpoints/best`.
public struct ActorCriticLearner: LearnerAlgorithm {
    public let batchesPerUpdate: Int
    public let stalenessPolicy: StalenessPolicy
    public let batchSchema: BatchSchema?
    public private(set) var weights: [String: WireTensor] = [:]
    public private(set) var auxiliary: [String: WireTensor] = [:]
    public private(set) var progress = TrainingProgress()
    public private(set) var isFinished = false

    private let algorithm: any ActorCriticAlgorithm
    private var model: ActorCriticModel
    private var optimizer: Adam
    private var random: MazeRandom
    private let evaluator: RolloutEvaluator
    private var selection: BestModelSelection
    private var normalization: NormalizationStatistics?
    private var epoch = EpochAccumulator()
    private let outputs: ExperimentOutputs?
    private let configYAML: String

    /// Builds model, optimizer and evaluator from `config`; `outputDirectory` receives the statistics and the
    /// best model (`nil` keeps them in memory). Estimates observation normalization statistics first when the
    /// wrapper stack normalizes, so that the first broadcast already carries them.
    /// The learner of a submitted experiment, writing into `outputsDirectory/<id>/` with the submitter's command line;
    /// the config's names are looked up in `components`.
    public init(record: ExperimentRecord, outputsDirectory: URL, components: MazeComponents = .builtIn) throws {
        try self.init(
            config: ExperimentConfig(yaml: record.configYAML, components: components), configYAML: record.configYAML,
            outputDirectory: outputsDirectory.appendingPathComponent(record.id),
            commandLine: record.commandLine.isEmpty ? CommandLine.arguments : ["maze"] + record.commandLine)
    }

    /// `commandLine` goes to the folder's `command.txt`.
    public init(
        config: ExperimentConfig, configYAML: String, outputDirectory: URL?, commandLine: [String] = CommandLine.arguments,
        seed: UInt64 = 0
    ) throws {
        algorithm = try config.algorithm()
        let common = algorithm.common
        batchesPerUpdate = try config.batchesPerUpdate()
        if let impala = algorithm as? IMPALA {
            stalenessPolicy = .boundedLag(UInt64(max(0, impala.settings.acceptedPolicyLag)))
        } else {
            stalenessPolicy = .currentVersionOnly
        }
        let evaluationEnv = LogStatsWrapper(
            try RolloutEvaluator.boundingEpisodes(of: config.makeEnv(), warn: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }),
            loggingPrefix: "eval")
        let recipe = try config.modelRecipe()
        batchSchema = try BatchSchema(env: evaluationEnv, recipe: recipe, steps: common.nRolloutSteps)
        evaluator = try RolloutEvaluator(env: evaluationEnv, settings: common.rolloutEvaluator, seed: seed &+ 0xE7A1)
        model = try ActorCriticModel(recipe: recipe, env: evaluationEnv, seed: seed)
        optimizer = algorithm.makeOptimizer()
        random = MazeRandom(seed: seed)
        selection = BestModelSelection(patience: common.patience)
        outputs = try outputDirectory.map { try ExperimentOutputs(directory: $0, configYAML: configYAML, commandLine: commandLine) }
        self.configYAML = configYAML
        if let wrapper = evaluationEnv.findWrapper(ObservationNormalizationWrapper.self) {
            let samples = try config.root.nonNull("runner")?.nonNull("normalization_samples")?.int() ?? 1000
            try wrapper.estimateStatistics(samples: samples, seed: seed)
            normalization = wrapper.statistics
        }
        try publish()
    }

    public mutating func update(with batches: [TrajectoryBatch]) throws {
        let rollout = try RolloutAssembly.buffer(from: batches)
        let trainPolicy = progress.epoch >= UInt64(algorithm.common.criticBurnInEpochs)
        // The numeric guard: an update that is not finite is undone (values: these copies share storage until then).
        let before = (parameters: model.parameters, optimizer: optimizer, statistics: epoch.learner)
        try algorithm.update(
            rollout, model: &model, optimizer: &optimizer, random: &random, trainPolicy: trainPolicy,
            statistics: &epoch.learner)
        if let problem = NumericGuard.problem(parameters: model.parameters, statistics: epoch.learner) {
            (model.parameters, optimizer, epoch.learner) = before
            throw NonFiniteUpdate(problem)
        }
        epoch.record(batches)
        try publish()
        if epoch.updates >= algorithm.common.epochLength { try finishEpoch() }
    }

    public func checkpoint(version: UInt64, to directory: URL) throws {
        try currentCheckpoint().save(to: directory)
        let state = LearnerState(version: version, epoch: progress.epoch, bestReturn: progress.bestReturn)
        try JSONEncoder().encode(state).write(to: directory.appendingPathComponent(LearnerState.file), options: .atomic)
    }

    public mutating func resume(from directory: URL) throws -> UInt64? {
        let stateURL = directory.appendingPathComponent(LearnerState.file)
        guard FileManager.default.fileExists(atPath: stateURL.path) else { return nil }
        let state = try JSONDecoder().decode(LearnerState.self, from: Data(contentsOf: stateURL))
        let saved = try Checkpoint.load(from: directory)
        try WeightsCoding.assign(WeightsCoding.wireTensors(saved.weights), to: &model.parameters)
        if let optimizerState = saved.optimizer { optimizer.restore(optimizerState) }
        if let statistics = saved.normalization { setNormalization(statistics) }
        progress = TrainingProgress(epoch: state.epoch, bestReturn: state.bestReturn)
        if let best = state.bestReturn { _ = selection.update(best) }
        try publish()
        return state.version
    }

    // MARK: Epochs

    /// Evaluates, keeps the best model, logs the epoch and decides whether training is over.
    private mutating func finishEpoch() throws {
        let evaluation = try evaluator.evaluate(model)
        progress.epoch += 1
        let stats = epoch.stats(evaluation: evaluation.stats)
        var lines = [StatsTable.format(step: Int(progress.epoch), stats: stats)]
        if selection.update(evaluation.meanReturn) {
            lines.append(String(format: "-> new overall best model %.5f!", evaluation.meanReturn))
            if let outputs { try currentCheckpoint().save(to: outputs.folder.bestCheckpointDirectory) }
        }
        progress.bestReturn = selection.best
        let epochs = algorithm.common.nEpochs
        isFinished = selection.shouldStop || (epochs > 0 && progress.epoch >= UInt64(epochs))
        try outputs?.record(epoch: Int(progress.epoch), stats: stats, lines: lines)
        epoch = EpochAccumulator()
    }

    private func currentCheckpoint() -> Checkpoint {
        Checkpoint(weights: model.parameters, optimizer: optimizer.state, normalization: normalization, configYAML: configYAML)
    }

    private mutating func setNormalization(_ statistics: NormalizationStatistics) {
        normalization = statistics
        evaluator.env.findWrapper(ObservationNormalizationWrapper.self)?.statistics = statistics
    }

    /// Refreshes the tensors the service broadcasts.
    private mutating func publish() throws {
        weights = try WeightsCoding.wireTensors(model.parameters)
        auxiliary = try WeightsCoding.auxiliary(normalization)
    }
}

/// What a service checkpoint adds to MazeTrain's checkpoint files: the policy version and the epoch count.
private struct LearnerState: Codable {
    static let file = "learner_state.json"
    var version: UInt64
    var epoch: UInt64
    var bestReturn: Double?
}

/// One epoch's trainer figures and the training episodes the actors reported.
private struct EpochAccumulator {
    var learner = LearnerStatistics()
    var updates = 0
    private var returns: [Double] = []
    private var lengths: [Double] = []

    mutating func record(_ batches: [TrajectoryBatch]) {
        updates += 1
        for episode in batches.flatMap(\.episodes) {
            returns.append(episode.episodeReturn)
            lengths.append(Double(episode.length))
        }
    }

    /// The table rows: training episodes, trainer figures, then the evaluation's rows.
    func stats(evaluation: LogStats) -> LogStats {
        var stats = LogStats()
        if !returns.isEmpty {
            let topic = "BaseEnvEvents"
            let count = Double(returns.count)
            stats.append(StatKey(prefix: "train", topic: topic, event: "reward", name: "mean"), .number(returns.reduce(0, +) / count))
            stats.append(
                StatKey(prefix: "train", topic: topic, event: "episode_length", name: "mean"), .number(lengths.reduce(0, +) / count))
        }
        for entry in learner.reduce(prefix: "train").entries { stats.append(entry.key, entry.value) }
        for entry in evaluation.entries { stats.append(entry.key, entry.value) }
        return stats
    }
}
