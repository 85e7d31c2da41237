import Foundation
import MazeCore
import MazePerception
import MazeService
import MazeTensor
import MazeTrain
import MazeWire

/// The learning half of an experiment, for any model a MazeTrain ``TrainingSession`` trains: the session (with the
/// dev runner's epochs, statistics table, best model and patience) fed with rollouts assembled from the actors'
/// batches. ``ActorCriticLearner`` (A2C, PPO, IMPALA, ES) and ``SACLearner`` are its two kinds; a ``LearnerTraining``
/// says how each trains on an update's batches and what it broadcasts.
///
/// What is the service's own: each update is checked by the numeric guard (a non-finite update is undone), the weights
/// and auxiliary tensors are published,
/// and the epoch's training episodes come from the batches' episode summaries. Evaluation runs on its own thread on
/// a snapshot of the weights while updates go on (``TrainingSession/submitEpoch(trainStatistics:makeEvaluator:)``);
/// an epoch that ends while the previous one is evaluated, and the last epoch, wait for it (``isWaiting``) without
/// blocking the service thread, which polls. Each epoch's table goes to `log` (the learner's console) and with the
/// statistics to the experiment's folder (`ExperimentOutputs`); a new best model is saved to its `checkpoints/best`.
///
/// Threading: driven by the learner's service thread; only the evaluation runs elsewhere, on copies.
public struct ServiceLearner<Model: ActorCritic & Sendable>: LearnerAlgorithm {
    public let batchesPerUpdate: Int
    public let stalenessPolicy: StalenessPolicy
    /// The layout every batch must have: the flat layout of a single-step env, the sub-step layout of a structured
    /// one.
    public let batchSchema: BatchSchema?
    public private(set) var weights: [String: WireTensor] = [:]
    public private(set) var auxiliary: [String: WireTensor] = [:]
    /// The weights of the publication before `weights`, which the next publication is written into.
    private var spareWeights: [String: WireTensor] = [:]

    let session: TrainingSession<Model>
    private var training: any LearnerTraining<Model>
    private let makeEvaluator: @Sendable () throws -> RolloutEvaluator
    private let outputs: ExperimentOutputs?
    private var episodes = EpisodeAccumulator()

    /// Builds the evaluator, the model `makeModel` makes for the evaluation env and the session training it as
    /// `makeTraining` says (it receives the experiment's log); `outputDirectory` receives the statistics and the best
    /// model (`nil` keeps them in memory), `commandLine` goes to its `command.txt`. Continues from the config's
    /// `input_dir` and estimates observation normalization statistics when the wrapper stack normalizes (unless
    /// `input_dir` brought them), so that the first broadcast already carries them.
    init(
        config: ExperimentConfig, configYAML: String, outputDirectory: URL?, commandLine: [String], seed: UInt64,
        log: @escaping @Sendable (String) -> Void,
        makeTraining: (_ log: @escaping @Sendable (String) -> Void) throws -> any LearnerTraining<Model>,
        makeModel: (any StructuredEnv) throws -> Model
    ) throws {
        let outputs = try outputDirectory.map {
            try ExperimentOutputs(directory: $0, configYAML: configYAML, commandLine: commandLine)
        }
        let logLine: @Sendable (String) -> Void = { line in
            log(line)
            outputs?.appendToLog(line)
        }
        let training = try makeTraining(logLine)
        let algorithm = training.algorithm
        let needs = training.needs
        batchesPerUpdate = needs.actorsBatchSize
        switch needs.staleness {
        case .currentVersion: stalenessPolicy = .currentVersionOnly
        case .boundedLag(let lag): stalenessPolicy = .boundedLag(UInt64(lag))
        }
        let common = algorithm.common
        let evaluationEnvCount = try config.evaluationEnvCount()
        let evaluator = try RolloutEvaluator.forTraining(
            makeEnv: config.makeEnv, settings: common.rolloutEvaluator, trainingSeed: seed,
            envCount: evaluationEnvCount
        ) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        makeEvaluator = {
            try RolloutEvaluator.forTraining(
                makeEnv: config.makeEnv, settings: common.rolloutEvaluator, trainingSeed: seed,
                envCount: evaluationEnvCount
            ) { _ in }
        }
        let evaluationEnv = evaluator.envs[0]
        let model = try makeModel(evaluationEnv)
        batchSchema = try training.batchSchema(env: evaluationEnv, model: model)
        self.training = training
        self.outputs = outputs
        var options = TrainingSession<Model>.Options()
        options.bestModelDirectory = outputs?.folder.bestCheckpointDirectory
        options.seed = seed
        options.normalizationSamples = try config.normalizationSamples()
        options.configYAML = configYAML
        options.log = logLine
        options.onEpoch = { epoch, stats in try outputs?.record(epoch: epoch, stats: stats) }
        session = TrainingSession(algorithm: algorithm, model: model, evaluator: evaluator, options: options)
        try session.resume(inputDirectory: TrainingSession<Model>.inputDirectory(in: config.root))
        _ = try session.estimateNormalizationIfNeeded()  // unless input_dir brought statistics
        try publish()
    }

    /// A submitted experiment's config (names looked up in `components`), the folder it writes into
    /// (`outputsDirectory/<id>/`) and the command line its folder records (the submitter's).
    static func submitted(_ record: ExperimentRecord, outputsDirectory: URL, components: MazeComponents) throws -> (
        config: ExperimentConfig, directory: URL, commandLine: [String]
    ) {
        (
            try ExperimentConfig(yaml: record.configYAML, algorithm: record.algorithm, components: components),
            outputsDirectory.appendingPathComponent(record.id),
            record.commandLine.isEmpty ? CommandLine.arguments : ["maze"] + record.commandLine
        )
    }

    public var progress: TrainingProgress {
        TrainingProgress(epoch: UInt64(session.epoch), bestReturn: session.selection.best)
    }

    public var isFinished: Bool { session.isFinished }

    /// Evaluations running on the evaluation thread whose results are not applied yet.
    public var evaluationsInProgress: Int { session.evaluationsInProgress }

    /// Whether the next update waits for the running evaluation: an epoch ended while the previous epoch's
    /// evaluation still ran, or the last epoch is being evaluated. At most one evaluation runs beside the updates:
    /// when epochs end faster than an evaluation takes, training pauses for at most one evaluation's time, instead of
    /// queueing snapshots whose results fall ever further behind. The service keeps serving and calls ``poll()``.
    public var isWaiting: Bool {
        guard session.evaluationsInProgress > 0 else { return false }
        let epochs = session.algorithm.common.nEpochs
        return session.isEpochComplete || (epochs > 0 && session.epoch >= epochs)
    }

    /// One update. A caller that does not ``poll()`` (a test, a script) waits here for what ``isWaiting`` waits for.
    public mutating func update(with batches: [TrajectoryBatch]) throws {
        if isWaiting { try finishEvaluations() }
        try poll()
        episodes.record(try training.update(session, with: batches))
        try publish()
        endEpochIfPossible()
    }

    /// Applies the evaluations that have completed (best model, patience, table row) and ends an epoch that waited
    /// for one; never blocks.
    public mutating func poll() throws {
        try session.applyCompletedEvaluations()
        endEpochIfPossible()
        announceEndIfFinished()
    }

    /// Hands a complete epoch to the evaluation thread, unless an evaluation still runs (``isWaiting``).
    private mutating func endEpochIfPossible() {
        guard session.isEpochComplete, session.evaluationsInProgress == 0 else { return }
        session.submitEpoch(trainStatistics: episodes.stats(), makeEvaluator: makeEvaluator)
        episodes = EpisodeAccumulator()
    }

    /// Waits for the running evaluations and applies them, then submits and waits for an epoch that was waiting: the
    /// blocking counterpart of polling until ``isWaiting`` is `false`.
    public mutating func finishEvaluations() throws {
        try session.applyCompletedEvaluations(waiting: true)
        if session.isEpochComplete {
            endEpochIfPossible()
            try session.applyCompletedEvaluations(waiting: true)
        }
        announceEndIfFinished()
    }

    /// Once training is over, ends the console output with the command that rolls out the best model.
    private func announceEndIfFinished() {
        guard session.isFinished, let line = outputs?.endLine() else { return }
        session.options.log(line)
    }

    /// Checkpoints without waiting for a running evaluation (the service thread stays responsive, and a stopping
    /// learner stops at once). The saved epoch count is that of the evaluated epochs, so the saved epoch count and
    /// best return agree with the logs: a resumed run trains the epochs still under evaluation again. When the
    /// experiment ends, every evaluation has been applied.
    public func checkpoint(version: UInt64, to directory: URL) throws {
        try session.applyCompletedEvaluations()
        try session.checkpoint().save(to: directory)
        let evaluatedEpochs = session.epoch - session.evaluationsInProgress
        let state = LearnerState(
            version: version, epoch: UInt64(evaluatedEpochs), bestReturn: session.selection.best)
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

    /// Refreshes the tensors the service broadcasts, written into those of the publication before last: the
    /// service's publisher keeps the last publication (for actors that join), so the one before is shared with
    /// nothing once the last replaced it, and its storage takes the new weights in place.
    private mutating func publish() throws {
        var next = spareWeights
        spareWeights = [:]
        auxiliary = try training.publication(of: session, into: &next)
        spareWeights = weights
        weights = next
    }
}

/// What a service checkpoint adds to MazeTrain's checkpoint files: the policy version and the epoch count.
private struct LearnerState: Codable {
    static let file = "learner_state.json"
    var version: UInt64
    var epoch: UInt64
    var bestReturn: Double?
}

/// One epoch's training episodes, as the actors reported them in their batches: their count and the sums of their
/// returns and lengths, which is all the table's means need (nothing grows with the epoch).
private struct EpisodeAccumulator {
    private var count = 0
    private var returnSum: Double = 0
    private var lengthSum: Double = 0

    mutating func record(_ batches: [TrajectoryBatch]) {
        for batch in batches {
            for episode in batch.episodes {
                count += 1
                returnSum += episode.episodeReturn
                lengthSum += Double(episode.length)
            }
        }
    }

    /// The table's training rows (prefix `train`), as the dev runner's `LogStatsWrapper`s give them.
    func stats() -> LogStats {
        var stats = LogStats()
        guard count > 0 else { return stats }
        let topic = "BaseEnvEvents"
        let reward = StatKey(prefix: "train", topic: topic, event: "reward", name: "mean")
        let length = StatKey(prefix: "train", topic: topic, event: "episode_length", name: "mean")
        stats.append(reward, .number(returnSum / Double(count)))
        stats.append(length, .number(lengthSum / Double(count)))
        return stats
    }
}
