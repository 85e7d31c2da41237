import Foundation
import MazeCore
import MazePerception

/// Evolution Strategies in one process (`algorithm=es runner=dev`, Maze's `ESDevRunner`): each update evaluates
/// antithetic perturbations in a training env (``ESRollouts``) and hands their returns to the ``TrainingSession``,
/// which applies ``EvolutionStrategies``' step, and — an update being an epoch, as in Maze — evaluates the
/// unperturbed policy, prints the statistics table, keeps the best model and applies `n_epochs` and `patience`.
/// The epochs run in the dev runner's loop (``DevRunner/train(_:options:initialEnvSteps:trainStatistics:update:)``).
///
/// Threading: one thread drives the runner.
package final class ESRunner {
    package typealias Options = DevRunner<ActorCriticModel>.Options
    package typealias Summary = DevRunner<ActorCriticModel>.Summary

    /// The session this runner feeds: model, optimizer, epochs, evaluation and best model.
    package let session: TrainingSession<ActorCriticModel>
    private let algorithm: EvolutionStrategies
    private let rollouts: ESRollouts
    private let options: Options

    /// A runner with one training env from `makeEnv` (statistics under `train`), one more for evaluation (under
    /// `eval`, its episodes bounded when the env has no time limit), the shared noise table of
    /// `runner.shared_noise_table_size` floats and a fresh model from `recipe` (see
    /// ``MazePerception/PerceptionRegistry/policyRecipe(model:)``).
    package init(
        makeEnv: () throws -> any StructuredEnv, settings: ESSettings, recipe: ModelRecipe, options: Options = Options()
    ) throws {
        let algorithm = EvolutionStrategies(settings, noise: SharedNoiseTable(count: settings.sharedNoiseTableSize))
        let rollouts = try ESRollouts(env: LogStatsWrapper(try makeEnv(), loggingPrefix: "train"))
        let evaluator = try RolloutEvaluator.forTraining(
            makeEnv: makeEnv, settings: settings.common.rolloutEvaluator, trainingSeed: options.seed,
            envCount: options.evaluationEnvCount, warn: options.log)
        let model = try ActorCriticModel(recipe: recipe, env: evaluator.envs[0], seed: options.seed)
        _ = try algorithm.policyDimension(of: model)
        session = TrainingSession(
            algorithm: algorithm, model: model, evaluator: evaluator, trainingEnvs: [rollouts.env],
            options: options.sessionOptions)
        self.algorithm = algorithm
        self.rollouts = rollouts
        self.options = options
    }

    /// Trains until `n_epochs`, patience, the target return or the step limit stops it.
    package func train() throws -> Summary {
        _ = try session.estimateNormalizationIfNeeded()
        let clock = ContinuousClock()
        return try DevRunner.train(session, options: options, trainStatistics: trainStatistics) {
            let rolloutStart = clock.now
            let batch = try rollouts.collect(around: session.model, algorithm: algorithm, random: &session.random)
            let rolloutSeconds = (clock.now - rolloutStart).inSeconds
            try session.update(rolloutSeconds: rolloutSeconds, samples: batch.episodes) {
                [algorithm] model, optimizer, _, statistics in
                try algorithm.update(&model, optimizer: &optimizer, results: batch.results, statistics: &statistics)
            }
            return (batch.envSteps, rolloutSeconds)
        }
    }

    /// The epoch's perturbed episodes, from the training env's `LogStatsWrapper`.
    private func trainStatistics() -> LogStats {
        var episodes = EpochStatistics()
        if let logger = rollouts.env.findWrapper(LogStatsWrapper.self) { episodes.merge(logger.popEpochStatistics()) }
        return episodes.reduce(prefix: "train")
    }
}
