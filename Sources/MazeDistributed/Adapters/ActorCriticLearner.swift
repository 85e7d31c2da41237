import Foundation
import MazeCore
import MazePerception
import MazeService
import MazeTensor
import MazeTrain
import MazeWire

/// The learning half of an experiment: a MazeTrain ``TrainingSession`` (IMPALA, PPO or A2C, with the dev runner's
/// epochs, statistics table, best model and patience) fed with rollouts assembled from the actors' batches — or,
/// for `algorithm=es`, with the returns of the perturbed policies the actors evaluated (``ESTraining``; the model
/// is an ``ActorCriticModel`` whose policy ES trains). What differs between them is a ``LearnerTraining``.
///
/// What is the service's own: batches from the wire become the session's rollouts, each update is checked by the
/// numeric guard (a non-finite update is undone), the weights and normalization statistics are published, and
/// the epoch's training episodes come from the batches' episode summaries. Evaluation runs on its own thread on
/// a snapshot of the weights while updates go on (``TrainingSession/submitEpoch(trainStatistics:makeEvaluator:)``);
/// the last epoch waits for its evaluation. Each epoch's table goes to `log` (the learner's console) and with the
/// statistics to the experiment's folder (`ExperimentOutputs`); a new best model is saved to its `checkpoints/best`.
public struct ActorCriticLearner: LearnerAlgorithm {
    public let batchesPerUpdate: Int
    public let stalenessPolicy: StalenessPolicy
    public let batchSchema: BatchSchema?
    public private(set) var weights: [String: WireTensor] = [:]
    public private(set) var auxiliary: [String: WireTensor] = [:]

    private let session: TrainingSession<ActorCriticModel>
    private var training: any LearnerTraining
    private let makeEvaluator: @Sendable () throws -> RolloutEvaluator
    private let outputs: ExperimentOutputs?
    private var episodes = EpisodeAccumulator()

    /// The learner of a submitted experiment, writing into `outputsDirectory/<id>/` with the submitter's command line;
    /// the config's names are looked up in `components`; `log` receives the console lines (the statistics table).
    public init(
        record: ExperimentRecord, outputsDirectory: URL, components: MazeComponents = .builtIn,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        let config = try ExperimentConfig(yaml: record.configYAML, algorithm: record.algorithm, components: components)
        if let note = config.algorithmNote { log("\(record.id): \(note)") }
        try self.init(
            config: config, configYAML: record.configYAML,
            outputDirectory: outputsDirectory.appendingPathComponent(record.id),
            commandLine: record.commandLine.isEmpty ? CommandLine.arguments : ["maze"] + record.commandLine, log: log)
    }

    /// Builds model, optimizer and evaluator from `config`; `outputDirectory` receives the statistics and the
    /// best model (`nil` keeps them in memory), `commandLine` goes to its `command.txt`. Estimates observation
    /// normalization statistics when the wrapper stack normalizes (unless the config's `input_dir`, which it continues
    /// from, brought them), so that the first broadcast already carries them.
    public init(
        config: ExperimentConfig, configYAML: String, outputDirectory: URL?,
        commandLine: [String] = CommandLine.arguments, seed: UInt64 = 0,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        let outputs = try outputDirectory.map {
            try ExperimentOutputs(directory: $0, configYAML: configYAML, commandLine: commandLine)
        }
        let logLine: @Sendable (String) -> Void = { line in
            log(line)
            outputs?.appendToLog(line)
        }
        let training: any LearnerTraining =
            config.isEvolutionStrategies ? try ESTraining(config, log: logLine) : try RolloutTraining(config)
        let algorithm = training.algorithm
        let common = algorithm.common
        let needs = training.needs
        batchesPerUpdate = needs.actorsBatchSize
        switch needs.staleness {
        case .currentVersion: stalenessPolicy = .currentVersionOnly
        case .boundedLag(let lag): stalenessPolicy = .boundedLag(UInt64(lag))
        }
        let evaluationEnv = try Self.evaluationEnv(config) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        let recipe = training.recipe
        var schema = try training.batchSchema(env: evaluationEnv)
        let evaluationSeed = RolloutEvaluator.seed(trainingSeed: seed)
        let evaluator = try RolloutEvaluator(
            env: evaluationEnv, settings: common.rolloutEvaluator, seed: evaluationSeed)
        makeEvaluator = {
            try RolloutEvaluator(
                env: Self.evaluationEnv(config) { _ in }, settings: common.rolloutEvaluator, seed: evaluationSeed)
        }
        let model = try ActorCriticModel(recipe: recipe, env: evaluationEnv, seed: seed)
        try training.check(model)
        // A recurrent model's batches carry the initial state of their segment.
        schema.initialStateWidth = model.recurrentStateWidth
        batchSchema = schema
        self.outputs = outputs
        self.training = training
        var options = TrainingSession<ActorCriticModel>.Options()
        options.bestModelDirectory = outputs?.folder.bestCheckpointDirectory
        options.seed = seed
        options.normalizationSamples = try config.normalizationSamples()
        options.configYAML = configYAML
        options.log = logLine
        options.onEpoch = { epoch, stats in try outputs?.record(epoch: epoch, stats: stats) }
        session = TrainingSession(algorithm: algorithm, model: model, evaluator: evaluator, options: options)
        try session.resume(inputDirectory: TrainingSession<ActorCriticModel>.inputDirectory(in: config.root))
        _ = try session.estimateNormalizationIfNeeded()  // unless input_dir brought statistics
        try publish()
    }

    /// The evaluation env: the experiment's env, its episodes bounded when it has no time limit, logging under `eval`.
    private static func evaluationEnv(_ config: ExperimentConfig, warn: (String) -> Void) throws -> any StructuredEnv {
        LogStatsWrapper(try RolloutEvaluator.boundingEpisodes(of: config.makeEnv(), warn: warn), loggingPrefix: "eval")
    }

    public var progress: TrainingProgress {
        TrainingProgress(epoch: UInt64(session.epoch), bestReturn: session.selection.best)
    }

    public var isFinished: Bool { session.isFinished }

    /// Evaluations running on the evaluation thread whose results are not applied yet.
    public var evaluationsInProgress: Int { session.evaluationsInProgress }

    public mutating func update(with batches: [TrajectoryBatch]) throws {
        try session.applyCompletedEvaluations()
        episodes.record(try training.update(session, with: batches))
        try publish()
        guard session.isEpochComplete else { return }
        // At most one evaluation runs beside the updates: when epochs end faster than an evaluation takes, the next
        // epoch waits for the running one (at most one evaluation's time, as when evaluation was on this thread)
        // instead of queueing snapshots whose results, and the checkpoints that wait for them, fall ever further
        // behind while the control socket goes unanswered.
        if session.evaluationsInProgress > 0 { try finishEvaluations() }
        session.submitEpoch(trainStatistics: episodes.stats(), makeEvaluator: makeEvaluator)
        episodes = EpisodeAccumulator()
        let epochs = session.algorithm.common.nEpochs
        if epochs > 0, session.epoch >= epochs { try finishEvaluations() }
        announceEndIfFinished()
    }

    /// Waits for the running evaluations and applies them (best model, patience, table row).
    public func finishEvaluations() throws {
        try session.applyCompletedEvaluations(waiting: true)
        announceEndIfFinished()
    }

    /// Once training is over, ends the console output with the command that rolls out the best model.
    private func announceEndIfFinished() {
        guard session.isFinished, let line = outputs?.endLine() else { return }
        session.options.log(line)
    }

    /// Checkpoints after the running evaluations are applied, so that the saved epoch count and best return agree
    /// with the logs.
    public func checkpoint(version: UInt64, to directory: URL) throws {
        try finishEvaluations()
        try session.checkpoint().save(to: directory)
        let state = LearnerState(version: version, epoch: UInt64(session.epoch), bestReturn: session.selection.best)
        try JSONEncoder().encode(state).write(to: directory.appendingPathComponent(LearnerState.file), options: .atomic)
    }

    public mutating func resume(from directory: URL) throws -> UInt64? {
        let stateURL = directory.appendingPathComponent(LearnerState.file)
        guard FileManager.default.fileExists(atPath: stateURL.path) else { return nil }
        let state = try JSONDecoder().decode(LearnerState.self, from: Data(contentsOf: stateURL))
        try session.resume(from: Checkpoint.load(from: directory))
        session.restoreProgress(epoch: Int(clamping: state.epoch), bestReturn: state.bestReturn)
        try publish()
        return state.version
    }

    /// Refreshes the tensors the service broadcasts.
    private mutating func publish() throws {
        weights = try WeightsCoding.wireTensors(session.model.parameters)
        auxiliary = try WeightsCoding.auxiliary(session.normalization)
    }
}

/// What a service checkpoint adds to MazeTrain's checkpoint files: the policy version and the epoch count.
private struct LearnerState: Codable {
    static let file = "learner_state.json"
    var version: UInt64
    var epoch: UInt64
    var bestReturn: Double?
}

/// One epoch's training episodes, as the actors reported them in their batches.
private struct EpisodeAccumulator {
    private var returns: [Double] = []
    private var lengths: [Double] = []

    mutating func record(_ batches: [TrajectoryBatch]) {
        for episode in batches.flatMap(\.episodes) {
            returns.append(episode.episodeReturn)
            lengths.append(Double(episode.length))
        }
    }

    /// The table's training rows (prefix `train`), as the dev runner's `LogStatsWrapper`s give them.
    func stats() -> LogStats {
        var stats = LogStats()
        guard !returns.isEmpty else { return stats }
        let topic = "BaseEnvEvents"
        let count = Double(returns.count)
        let reward = StatKey(prefix: "train", topic: topic, event: "reward", name: "mean")
        let length = StatKey(prefix: "train", topic: topic, event: "episode_length", name: "mean")
        stats.append(reward, .number(returns.reduce(0, +) / count))
        stats.append(length, .number(lengths.reduce(0, +) / count))
        return stats
    }
}
