import Foundation
import MazeConfig
import MazeCore
import MazeSystem
import MazeTensor

/// The epoch lifecycle of a training run, the same for every runner: the dev runner feeds it rollouts of its
/// own envs, the learner service rollouts assembled from the actors' batches.
///
/// It owns the model, the optimizer and the algorithm's update; counts updates into epochs (`epoch_length`);
/// estimates observation normalization before training; resumes from a checkpoint or a run folder (`input_dir`);
/// at the end of every epoch evaluates the model, prints Maze's statistics table and the epoch time, keeps the
/// best model (checkpointed to ``Options/bestModelDirectory``), and stops on `n_epochs`, patience or the target
/// return.
///
/// Evaluation runs at the epoch boundary (``finishEpoch(trainStatistics:)``, as Maze's dev runner does), or on a
/// snapshot of the weights on a thread of its own while updates continue (``submitEpoch(trainStatistics:)``, the
/// learner service); either way an epoch's row, best-model choice and checkpoint come from the same snapshot.
///
/// Threading: one thread drives a session; only the background evaluation runs elsewhere, on copies.
package final class TrainingSession<Model: ActorCritic> {
    /// Settings outside Maze's algorithm section.
    package struct Options: Sendable {
        /// Where the best model is checkpointed; `nil` keeps it in memory.
        package var bestModelDirectory: URL?
        /// Seeds the sampling of actions, the minibatch order and the normalization estimate.
        package var seed: UInt64 = 0
        /// Training is over as soon as an evaluation reaches this mean return (learning tests, benchmarks).
        package var targetReturn: Double?
        /// Samples drawn to estimate observation normalization statistics (`runner.normalization_samples`).
        package var normalizationSamples = 1000
        /// The composed configuration, saved with every checkpoint.
        package var configYAML: String?
        /// Receives the console lines: the statistics table, epoch times, new best models.
        package var log: @Sendable (String) -> Void = { print($0) }
        /// Receives each epoch's number and statistics (the table's rows), for stats files and dashboards.
        package var onEpoch: @Sendable (_ epoch: Int, _ stats: LogStats) throws -> Void = { _, _ in }

        package init() {}
    }

    /// What the end of one epoch decided.
    package struct EpochReport: Sendable {
        package let epoch: Int
        /// The table's rows: training episodes, trainer figures and times, evaluation.
        package let stats: LogStats
        package let meanReturn: Double
        package let isNewBest: Bool
    }

    package private(set) var model: Model
    package private(set) var optimizer: Adam
    /// Samples actions (the dev runner's rollouts) and orders minibatches.
    package var random: MazeRandom
    /// The tape every update records its passes on, kept across updates: each update reuses the buffers of the one
    /// before, so a steady state allocates no tensor storage. Empty between updates.
    package let tape = Tape()
    package let algorithm: any TrainingAlgorithm
    /// `algorithm` as an update rule on rollouts, cast once (each cast boxes it anew); `nil` for one that trains
    /// otherwise (ES).
    private let rolloutAlgorithm: (any ActorCriticAlgorithm)?
    package let options: Options
    /// Epochs whose updates are complete (their evaluation may still run, see ``evaluationsInProgress``).
    package private(set) var epoch = 0
    /// Updates done in the current epoch.
    package private(set) var updatesInEpoch = 0
    package private(set) var selection: BestModelSelection
    /// Whether an evaluation reached ``Options/targetReturn``.
    package private(set) var reachedTarget = false
    /// Total seconds spent in updates, and the rows of training data they processed.
    package private(set) var updateSeconds = 0.0
    package private(set) var learnerSamples = 0

    private let evaluator: RolloutEvaluator
    private let normalizationWrappers: [ObservationNormalizationWrapper]
    private var learner = LearnerStatistics()
    /// The parameters and optimizer state an update starts from, for `validate` to undo it: copied into storage kept
    /// across updates, so that neither the snapshot nor the update (writing storage the snapshot would share)
    /// allocates.
    private var undoPoint = (parameters: ParameterStore(), optimizer: OptimizerState())
    private var epochStart: ContinuousClock.Instant?
    private var epochRollout: Double?
    private var epochUpdate = 0.0
    private var background: BackgroundEvaluation?
    private var waiting: [PendingEpoch] = []
    private let clock = ContinuousClock()

    /// A session training `model` with `algorithm`, evaluating with `evaluator`. `trainingEnvs` share the
    /// observation normalization statistics with the evaluation env (the dev runner's envs; none for a learner).
    package init(
        algorithm: any TrainingAlgorithm, model: Model, evaluator: RolloutEvaluator,
        trainingEnvs: [any StructuredEnv] = [], options: Options
    ) {
        self.algorithm = algorithm
        rolloutAlgorithm = algorithm as? any ActorCriticAlgorithm
        self.model = model
        self.evaluator = evaluator
        self.options = options
        optimizer = algorithm.makeOptimizer()
        random = MazeRandom(seed: options.seed)
        selection = BestModelSelection(patience: algorithm.common.patience)
        normalizationWrappers =
            trainingEnvs.compactMap { $0.findWrapper(ObservationNormalizationWrapper.self) }
            + evaluator.normalizationWrappers
    }

    // MARK: Before training

    /// Estimates the observation normalization statistics on the first env that normalizes (a training env, else the
    /// evaluation env) and shares them, as Maze's runners do before training; statistics already set (a resumed run)
    /// are kept. Returns whether it stepped an env, which the caller then resets.
    package func estimateNormalizationIfNeeded() throws -> Bool {
        guard let first = normalizationWrappers.first, first.statistics == nil else { return false }
        try first.estimateStatistics(samples: options.normalizationSamples, seed: options.seed)
        if let statistics = first.statistics { setNormalization(statistics) }
        return true
    }

    /// The observation normalization statistics the envs use, if they normalize.
    package var normalization: NormalizationStatistics? { normalizationWrappers.first?.statistics }

    /// Continues from a checkpoint: weights, normalization statistics, and the optimizer state when it fits this
    /// model's parameters (so a PPO checkpoint can continue as A2C).
    package func resume(from checkpoint: Checkpoint) throws {
        for name in model.parameters.names {
            let saved = try checkpoint.weights.tensor(named: name)
            let current = try model.parameters.tensor(named: name)
            guard saved.shape == current.shape else {
                throw TrainError.checkpoint(
                    path: Checkpoint.weightsFile,
                    problem: "'\(name)' has shape \(saved.shape), the model needs \(current.shape)")
            }
            model.parameters[name] = saved
        }
        if let state = checkpoint.optimizer, Self.fits(state, model.parameters) { optimizer.restore(state) }
        if let statistics = checkpoint.normalization { setNormalization(statistics) }
    }

    /// Continues from the folder a config's `input_dir` names (a run folder's best model, see
    /// ``Checkpoint/load(inputDirectory:)``); an empty value starts afresh, a missing folder is an error naming
    /// the key.
    package func resume(inputDirectory: String) throws {
        guard !inputDirectory.isEmpty else { return }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: inputDirectory, isDirectory: &isDirectory)
        guard exists, isDirectory.boolValue else {
            throw TrainError.invalidSetting(
                key: "input_dir", problem: "no folder at '\(inputDirectory)'; name the run folder of a training run")
        }
        try resume(from: Checkpoint.load(inputDirectory: inputDirectory))
        options.log("Continuing from the model in \(inputDirectory) (input_dir)")
    }

    /// The config's `input_dir` (empty when the key is absent or null).
    package static func inputDirectory(in root: ConfigSection) throws -> String {
        root.nonNull("input_dir") == nil ? "" : try root.string("input_dir")
    }

    /// Continues the epoch count and the best evaluation of a resumed run.
    package func restoreProgress(epoch: Int, bestReturn: Double?) {
        self.epoch = epoch
        if let bestReturn { _ = selection.update(bestReturn) }
    }

    // MARK: Updates

    /// Whether the policy is trained in this epoch (the critic alone during `critic_burn_in_epochs`).
    package var trainsPolicy: Bool { epoch >= algorithm.common.criticBurnInEpochs }

    /// One update of the algorithm on `rollout`, collected in `rolloutSeconds` (`nil` where no rollout is timed,
    /// as in the learner). `validate` sees the new parameters and the epoch's trainer figures; when it throws, the
    /// update is undone and the error passed on (the learner's numeric guard).
    package func update(
        _ rollout: RolloutBuffer, rolloutSeconds: Double? = nil,
        validate: (ParameterStore, LearnerStatistics) throws -> Void = { _, _ in }
    ) throws {
        let rule = try rolloutRule()
        let (trainPolicy, tape) = (trainsPolicy, tape)
        try update(
            rolloutSeconds: rolloutSeconds, samples: rollout.count * rule.passesPerRollout, validate: validate
        ) { model, optimizer, random, statistics in
            try rule.update(
                rollout, model: &model, optimizer: &optimizer, random: &random, trainPolicy: trainPolicy,
                statistics: &statistics, tape: tape)
        }
    }

    /// One update that `step` makes to the model and optimizer (with the session's random generator and the epoch's
    /// trainer figures), from `samples` rows of training data gathered in `rolloutSeconds`: the rollout update above,
    /// or Evolution Strategies' update from the returns of perturbed policies. `validate` as for rollouts.
    package func update(
        rolloutSeconds: Double?, samples: Int,
        validate: (ParameterStore, LearnerStatistics) throws -> Void = { _, _ in },
        step: (inout Model, inout Adam, inout MazeRandom, inout LearnerStatistics) throws -> Void
    ) throws {
        let start = clock.now
        // An update that threw may have left its nodes on the tape.
        defer { tape.reset() }
        if epochStart == nil { epochStart = start - .seconds(rolloutSeconds ?? 0) }
        undoPoint.parameters.overwrite(with: model.parameters)
        undoPoint.optimizer.overwrite(with: optimizer.state)
        let statistics = learner
        try step(&model, &optimizer, &random, &learner)
        do {
            try validate(model.parameters, learner)
        } catch {
            model.parameters = undoPoint.parameters
            optimizer.restore(undoPoint.optimizer)
            learner = statistics
            throw error
        }
        let seconds = (clock.now - start).inSeconds
        epochUpdate += seconds
        updateSeconds += seconds
        if let rolloutSeconds { epochRollout = (epochRollout ?? 0) + rolloutSeconds }
        learnerSamples += samples
        updatesInEpoch += 1
    }

    /// The algorithm as an update rule on rollouts; a typed error for one that trains otherwise (ES).
    private func rolloutRule() throws -> any ActorCriticAlgorithm {
        guard let rule = rolloutAlgorithm else {
            throw TrainError.unsupported("\(type(of: algorithm)) does not train on rollouts")
        }
        return rule
    }

    /// An update on uniformly random experience before the first epoch (an off-policy algorithm's initial replay
    /// buffer): the critic only, not counted into epochs, its figures dropped.
    package func warmUp(_ rollout: RolloutBuffer) throws {
        var statistics = LearnerStatistics()
        try rolloutRule().update(
            rollout, model: &model, optimizer: &optimizer, random: &random, trainPolicy: false, statistics: &statistics,
            tape: tape)
    }

    /// Whether the current epoch has its `epoch_length` updates.
    package var isEpochComplete: Bool { updatesInEpoch >= algorithm.common.epochLength }

    /// Whether training is over: `n_epochs` evaluated, patience used up, or the target return reached.
    package var isFinished: Bool {
        let epochs = algorithm.common.nEpochs
        let evaluated = epoch - waiting.count
        return reachedTarget || selection.shouldStop || (epochs > 0 && evaluated >= epochs)
    }

    // MARK: End of an epoch

    /// Ends the epoch, evaluates the model now and applies the result (the dev runner).
    /// `trainStatistics` are the epoch's training episodes (prefix `train`).
    package func finishEpoch(trainStatistics: LogStats) throws -> EpochReport {
        let pending = closeEpoch(trainStatistics: trainStatistics)
        let evaluation = try evaluator.evaluate(model)
        return try apply(pending, evaluation: evaluation, epochEnd: clock.now)
    }

    /// The current checkpoint: weights, optimizer state, normalization statistics and config.
    package func checkpoint() -> Checkpoint {
        Checkpoint(
            weights: model.parameters, optimizer: optimizer.state, normalization: normalization,
            configYAML: options.configYAML)
    }

    /// Closes the epoch's figures and takes the snapshot its evaluation scores.
    func closeEpoch(trainStatistics: LogStats) -> PendingEpoch {
        epoch += 1
        var stats = trainStatistics
        for entry in learner.reduce(prefix: "train", topic: algorithm.statisticsTopic).entries {
            stats.append(entry.key, entry.value)
        }
        let updates = Double(max(1, updatesInEpoch))
        var times = [("time_epoch", 0.0)]
        if let epochRollout { times.append(("time_rollout", epochRollout / updates)) }
        times.append(("time_update", epochUpdate / updates))
        let pending = PendingEpoch(
            epoch: epoch, stats: stats, times: times, start: epochStart ?? clock.now, snapshot: checkpoint())
        learner = LearnerStatistics()
        updatesInEpoch = 0
        epochStart = nil
        epochRollout = nil
        epochUpdate = 0
        return pending
    }

    /// Logs the epoch's table, keeps a new best model (checkpointing the epoch's snapshot) and updates patience.
    func apply(
        _ pending: PendingEpoch, evaluation: (meanReturn: Double, stats: LogStats), epochEnd: ContinuousClock.Instant
    ) throws -> EpochReport {
        let epochSeconds = (epochEnd - pending.start).inSeconds
        var stats = pending.stats
        for (name, seconds) in pending.times {
            let value = name == "time_epoch" ? epochSeconds : seconds
            let key = StatKey(prefix: "train", topic: LearnerStatistics.topic, event: name, name: "")
            stats.append(key, .number(value))
        }
        stats.append(contentsOf: evaluation.stats)
        options.log(StatsTable.format(step: pending.epoch, stats: stats))
        try options.onEpoch(pending.epoch, stats)
        options.log(EpochLines.epochTime(seconds: epochSeconds))
        let isNewBest = selection.update(evaluation.meanReturn)
        if isNewBest {
            options.log(EpochLines.newBestModel(score: evaluation.meanReturn))
            if let directory = options.bestModelDirectory { try pending.snapshot.save(to: directory) }
        }
        if let target = options.targetReturn, evaluation.meanReturn >= target { reachedTarget = true }
        if selection.shouldStop { options.log("-> no improvement for \(selection.patience) epochs, stopping") }
        return EpochReport(epoch: pending.epoch, stats: stats, meanReturn: evaluation.meanReturn, isNewBest: isNewBest)
    }

    private func setNormalization(_ statistics: NormalizationStatistics) {
        for wrapper in normalizationWrappers { wrapper.statistics = statistics }
    }

    private static func fits(_ state: OptimizerState, _ parameters: ParameterStore) -> Bool {
        state.slots.values.allSatisfy { store in
            store.names.allSatisfy { name in parameters[name]?.shape == store[name]?.shape }
        }
    }

    // MARK: Evaluation off the update path

    /// Evaluations submitted and not yet applied.
    package var evaluationsInProgress: Int { waiting.count }

    /// Ends the epoch and hands a snapshot of the weights and normalization statistics to the evaluation thread
    /// (started on first use with an evaluator from `makeEvaluator`, which builds its own env); updates go on.
    /// The result is applied by ``applyCompletedEvaluations(waiting:)``.
    package func submitEpoch(
        trainStatistics: LogStats, makeEvaluator: @escaping @Sendable () throws -> RolloutEvaluator
    ) where Model: Sendable {
        let pending = closeEpoch(trainStatistics: trainStatistics)
        epochStart = clock.now  // the next epoch starts now, while this one is evaluated
        let background = self.background ?? BackgroundEvaluation(makeEvaluator: makeEvaluator)
        self.background = background
        background.submit(.init(epoch: pending.epoch, model: model, normalization: normalization))
        waiting.append(pending)
    }

    /// Applies the evaluations that have completed, in epoch order; with `waiting`, first waits for all of them.
    @discardableResult
    package func applyCompletedEvaluations(waiting wait: Bool = false) throws -> [EpochReport] {
        guard let background else { return [] }
        var reports: [EpochReport] = []
        while let pending = waiting.first, let outcome = background.takeOutcome(waiting: wait) {
            waiting.removeFirst()
            assert(outcome.epoch == pending.epoch)
            reports.append(try apply(pending, evaluation: try outcome.result.get(), epochEnd: outcome.finished))
        }
        return reports
    }
}

/// An epoch whose updates are done, waiting for its evaluation.
struct PendingEpoch {
    let epoch: Int
    /// Training episodes and trainer figures; times are added when the epoch's duration is known.
    let stats: LogStats
    let times: [(String, Double)]
    let start: ContinuousClock.Instant
    /// The model as evaluated, checkpointed if it is the best.
    let snapshot: Checkpoint
}

/// The lines trainers print after an epoch's table, formatted as Maze prints them.
package enum EpochLines {
    /// e.g. `-> new overall best model 28.10000!`.
    package static func newBestModel(score: Double) -> String {
        "-> new overall best model \(String(format: "%.5f", score))!"
    }

    /// e.g. `Time required for epoch: 19.43s`.
    package static func epochTime(seconds: Double) -> String {
        "Time required for epoch: \(String(format: "%.2f", seconds))s"
    }
}
