import MazeCore
import MazePerception

extension DevRunner where Model == ActorCriticModel {
    /// A behavioural-cloning run (`algorithm=bc`): the training session fed with minibatches of `training` (see
    /// ``Demonstrations/split(validationPercentage:seed:)``), scored on `validation` and evaluated by rollouts in one
    /// env from `makeEnv` (statistics under `eval`), with a fresh model built from `recipe` for that env's spaces.
    /// Epochs, the table, the best model and the checkpoints are the session's, as for PPO.
    package static func imitation(
        makeEnv: () throws -> any StructuredEnv, algorithm: BehaviouralCloning, training: Demonstrations.Batch,
        validation: Demonstrations.Batch, recipe: ModelRecipe, options: Options = Options()
    ) throws -> DevRunner {
        let evaluator = try RolloutEvaluator.forTraining(
            makeEnv: makeEnv, settings: algorithm.common.rolloutEvaluator, trainingSeed: options.seed,
            envCount: options.evaluationEnvCount, warn: options.log)
        let evaluationEnv = evaluator.envs[0]
        let cycle = try SubStepCycle(evaluationEnv)
        guard cycle.observationWidth == training.observationWidth, cycle.actionWidth == training.actionWidth else {
            throw TrainError.shapeMismatch(
                "the demonstrations have \(training.observationWidth) observation and \(training.actionWidth) action "
                    + "columns, the env \(cycle.observationWidth) and \(cycle.actionWidth)")
        }
        options.log(
            "Behavioural cloning from \(training.count + validation.count) demonstrated decisions: "
                + "\(training.count) for training, \(validation.count) for validation")
        return DevRunner(
            algorithm: algorithm, model: try ActorCriticModel(recipe: recipe, env: evaluationEnv, seed: options.seed),
            evaluator: evaluator, options: options,
            collector: try DemonstrationBatches(
                training: training, validation: validation, batchSize: algorithm.settings.batchSize, cycle: cycle))
    }
}
