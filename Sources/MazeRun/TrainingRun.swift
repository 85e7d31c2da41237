import Foundation
import MazeConfig
import MazeCore
import MazePerception
import MazeReporting
import MazeTrain
import Synchronization

/// One training job written to a run folder (`maze run -cn conf_train runner=dev`): the composed
/// config and command line, statistics to the console table, TensorBoard, CSV and JSONL, an epoch
/// progress bar, the best and last checkpoints, the HTML report, and a final evaluation of the best model.
package struct TrainingRun {
    /// How a training job ended.
    package struct Outcome {
        package let folder: RunFolder
        package let summary: TrainingSummary
        /// The best model's evaluation after training (prefix `eval`) and its mean return.
        package let evaluation: LogStats
        package let evaluationReturn: Double
        /// The base seed and episode count of the evaluations: a rollout with `seeding.env_base_seed`
        /// set to this seed replays the evaluation episodes.
        package let evaluationSeed: UInt64
        package let evaluationEpisodes: Int
        /// The best model (an ``ActorCriticModel``, or SAC's ``SoftActorCriticModel``).
        package let model: any ActorCritic & Sendable
        /// The observation normalization statistics the model was trained with, if the envs normalize.
        package let normalization: NormalizationStatistics?

        /// The `maze run` command that rolls out the best model on the evaluation episodes.
        package var rolloutCommand: String {
            folder.rolloutCommand(episodes: evaluationEpisodes, seed: evaluationSeed)
        }
    }

    package let composed: ComposedConfig
    let setup: TrainingSetup
    /// The config as the run folder records it: with the env marked as coming from code when `makeEnv`
    /// replaced the config's env (see ``EnvFromCode``).
    private let recordedYAML: String

    /// Reads the training setup from `composed`, naming envs, wrappers and models from `components`; `makeEnv`
    /// replaces the config's env and wrappers (RunContext's env factories). A run whose memory estimate exceeds
    /// `memoryBudget` is refused here.
    package init(
        _ composed: ComposedConfig, makeEnv: (@Sendable () throws -> any StructuredEnv)? = nil,
        components: MazeComponents = .builtIn,
        memoryBudget: MemoryBudget = MemoryBudget(mebibytes: MemoryBudget.defaultMiB)
    ) throws {
        self.composed = composed
        setup = try TrainingSetup(composed, makeEnv: makeEnv, components: components)
        try memoryBudget.check(try setup.memoryEstimate())
        recordedYAML = makeEnv == nil ? composed.yaml : EnvFromCode.yaml(of: composed)
    }

    /// A fresh env as the run trains in (wrappers applied).
    package var makeEnv: @Sendable () throws -> any StructuredEnv { setup.makeEnv }

    /// Trains into `folder` (created), writing `commandLine` to `command.txt`; `output` receives console
    /// lines unless `silent`. SAC (`algorithm=sac|sacfd`) trains its own networks through the same session.
    package func run(
        in root: URL, commandLine: [String], silent: Bool,
        output: @escaping @Sendable (String) -> Void = ConsoleStatsWriter.standardOutput
    ) throws -> Outcome {
        if let sac = setup.algorithm.softActorCritic {
            return try run(in: root, commandLine: commandLine, silent: silent, output: output) {
                try setup.makeSACRunner(sac, options: $0)
            }
        }
        return try run(in: root, commandLine: commandLine, silent: silent, output: output, makeRunner: setup.makeRunner)
    }

    private func run<Model: ActorCritic & Sendable>(
        in root: URL, commandLine: [String], silent: Bool, output: @escaping @Sendable (String) -> Void,
        makeRunner: (DevRunner<Model>.Options) throws -> any InProcessTrainer<Model>
    ) throws -> Outcome {
        let folder = try RunFolder.create(at: root, config: recordedYAML, commandLine: commandLine)
        let writers = Mutex(try folder.openStatsWriters(silent: true))
        let writeFailure = Mutex<(any Error)?>(nil)

        var options = DevRunner<Model>.Options()
        options.outputDirectory = folder.bestCheckpointDirectory
        options.configYAML = recordedYAML
        options.log = { line in if !silent { output(line) } }
        options.onEpoch = { epoch, stats in
            writers.withLock { writer in
                do {
                    try writer.write(stats, step: epoch)
                    try writer.flush()
                } catch { writeFailure.withLock { $0 = $0 ?? error } }
            }
        }
        if !silent {
            let progress = EpochProgress(epochs: setup.algorithm.common.nEpochs, stepsPerUpdate: setup.stepsPerUpdate)
            options.onUpdate = progress.update
        }
        let runner = try makeRunner(options)
        try runner.resume(inputDirectory: TrainingSession<Model>.inputDirectory(in: composed.root))
        let summary = try runner.train()
        try runner.checkpoint().save(to: folder.lastCheckpointDirectory)
        try writers.withLock { try $0.close() }
        if let error = writeFailure.withLock({ $0 }) { throw error }
        try HTMLReport.regenerate(in: folder)

        let (evaluationReturn, evaluation) = try evaluateBest(runner: runner, folder: folder)
        let outcome = Outcome(
            folder: folder, summary: summary, evaluation: evaluation, evaluationReturn: evaluationReturn,
            evaluationSeed: RolloutEvaluator.seed(trainingSeed: setup.seed),
            evaluationEpisodes: setup.algorithm.common.rolloutEvaluator.nEpisodes, model: runner.model,
            normalization: runner.checkpoint().normalization)
        if !silent {
            output(
                "Evaluation of the best model (\(outcome.evaluationEpisodes) episodes; replay them with: \(outcome.rolloutCommand)):"
            )
            output(StatsTable.format(step: summary.epochs, stats: evaluation))
        }
        return outcome
    }

    /// Loads the best checkpoint into the runner's model and evaluates it on the evaluation seeds (episodes
    /// bounded as during training, whose runner already warned about an env without a time limit).
    private func evaluateBest<Model: ActorCritic>(runner: any InProcessTrainer<Model>, folder: RunFolder) throws -> (
        Double, LogStats
    ) {
        let best = folder.bestCheckpointDirectory
        if FileManager.default.fileExists(atPath: best.path) { try runner.resume(from: Checkpoint.load(from: best)) }
        let evaluator = try RolloutEvaluator.forTraining(
            makeEnv: setup.makeEnv, settings: setup.algorithm.common.rolloutEvaluator, trainingSeed: setup.seed,
            envCount: setup.runner.evaluationEnvCount, warn: { _ in })
        if let statistics = runner.checkpoint().normalization {
            for wrapper in evaluator.normalizationWrappers { wrapper.statistics = statistics }
        }
        let result = try evaluator.evaluate(runner.model)
        return (result.meanReturn, result.stats)
    }
}
