import MazeCore
import MazeEnvs
import MazePerception

extension DevRunner where Model == ActorCriticModel {
    /// A dev runner for the registered env `name` (see ``make(makeEnv:algorithm:recipe:envCount:options:)``).
    package static func make(
        env name: String, arguments: ConfigSection = [:], registries: Registries = .withMazeEnvs,
        algorithm: any ActorCriticAlgorithm, recipe: ModelRecipe, envCount: Int, options: Options = Options()
    ) throws -> DevRunner {
        try make(
            makeEnv: { try registries.makeEnv(name, arguments) }, algorithm: algorithm, recipe: recipe,
            envCount: envCount,
            options: options)
    }

    /// A dev runner with `envCount` training envs from `makeEnv` (statistics under `train`), one more
    /// for evaluation (under `eval`, its episodes bounded when the env has no time limit, see
    /// ``RolloutEvaluator/boundingEpisodes(of:warn:)``) and a fresh model built from `recipe` for the env's spaces.
    /// Single-step envs are stepped as a vector env, structured ones through their sub-step cycles.
    package static func make(
        makeEnv: () throws -> any StructuredEnv, algorithm: any ActorCriticAlgorithm, recipe: ModelRecipe,
        envCount: Int,
        options: Options = Options()
    ) throws -> DevRunner {
        try make(makeEnv: makeEnv, algorithm: algorithm, envCount: envCount, options: options) { env in
            try ActorCriticModel(recipe: recipe, env: env, seed: options.seed)
        }
    }
}

extension DevRunner where Model == SoftActorCriticModel {
    /// A SAC dev runner (`algorithm=sac runner=dev`): `settings.numActors` training envs from `makeEnv`, one more for
    /// evaluation, and fresh SAC networks (policy and twin Q critics) built from `recipe` for the env's spaces.
    package static func make(
        makeEnv: () throws -> any StructuredEnv, settings: SACSettings, recipe: ModelRecipe,
        options: Options = Options()
    ) throws -> DevRunner {
        try make(makeEnv: makeEnv, algorithm: SoftActorCritic(settings), recipe: recipe, options: options)
    }

    /// A dev runner training with `algorithm` (see ``make(makeEnv:settings:recipe:options:)``); with
    /// `runner.demonstrations` (SACfD) the replay buffer is first seeded from those trajectory files.
    package static func make(
        makeEnv: () throws -> any StructuredEnv, algorithm: SoftActorCritic, recipe: ModelRecipe,
        runner: SACRunnerSettings = SACRunnerSettings(), options: Options = Options()
    ) throws -> DevRunner {
        try make(makeEnv: makeEnv, algorithm: algorithm, envCount: algorithm.settings.numActors, options: options) {
            env in
            guard env.agentCounts.count == 1 else {
                throw TrainError.unsupported("SAC trains single-step envs; this env has sub-steps")
            }
            if let demonstrations = runner.demonstrations {
                let count = try algorithm.seedReplayBuffer(
                    from: demonstrations, observationSpace: env.observationSpace, actionSpace: env.actionSpace)
                options.log(
                    "SACfD: the replay buffer starts with \(count) demonstration transitions from "
                        + demonstrations.inputData.joined(separator: ", "))
            }
            return try SoftActorCriticModel(
                recipe: recipe, observationSpace: env.observationSpace, actionSpace: env.actionSpace, seed: options.seed
            )
        }
    }
}

extension DevRunner {
    /// A dev runner with `envCount` training envs from `makeEnv` (statistics under `train`), one more
    /// for evaluation (under `eval`) and the model `makeModel` builds for the evaluation env's spaces.
    /// Single-step envs are stepped as a vector env, structured ones through their sub-step cycles.
    static func make(
        makeEnv: () throws -> any StructuredEnv, algorithm: any ActorCriticAlgorithm, envCount: Int, options: Options,
        makeModel: (any StructuredEnv) throws -> Model
    ) throws -> DevRunner {
        guard envCount > 0 else {
            throw TrainError.invalidSetting(
                key: "runner.concurrency", problem: "needs at least one env, got \(envCount)")
        }
        let envs: [any StructuredEnv] = try (0..<envCount).map { _ in
            LogStatsWrapper(try makeEnv(), loggingPrefix: "train")
        }
        let evaluator = try RolloutEvaluator.forTraining(
            makeEnv: makeEnv, settings: algorithm.common.rolloutEvaluator, trainingSeed: options.seed,
            envCount: options.evaluationEnvCount, warn: options.log)
        let evaluationEnv = evaluator.envs[0]
        let model = try makeModel(evaluationEnv)
        if evaluationEnv.agentCounts.count == 1 {
            return try DevRunner(
                algorithm: algorithm, model: model, env: SequentialVectorEnv(envs: envs), evaluator: evaluator,
                options: options)
        }
        return try DevRunner(
            algorithm: algorithm, model: model, structuredEnvs: envs, evaluator: evaluator, options: options)
    }
}
