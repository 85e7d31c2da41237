import Foundation
import MazeConfig
import MazeCore
import MazeEnvs
import MazePerception
import MazeTrain

/// Everything a training run takes from a composed `conf_train` config: the env factory, the
/// algorithm, the model recipe, the runner's env count and the seed.
struct TrainingSetup {
    /// The chosen algorithm: an actor-critic, which the dev runner trains, or Evolution Strategies, which trains
    /// through its own runner.
    enum Algorithm {
        case actorCritic(any ActorCriticAlgorithm)
        case evolutionStrategies(ESSettings)

        /// The epoch schedule and evaluator settings.
        var common: ActorCriticSettings {
            switch self {
            case .actorCritic(let algorithm): algorithm.common
            case .evolutionStrategies(let settings): settings.common
            }
        }

        /// SAC (`algorithm=sac|sacfd`), which trains its own state-action critics; `nil` for the others.
        var softActorCritic: SoftActorCritic? {
            guard case .actorCritic(let algorithm) = self else { return nil }
            return algorithm as? SoftActorCritic
        }
    }

    let makeEnv: @Sendable () throws -> any StructuredEnv
    let algorithm: Algorithm
    let recipe: ModelRecipe
    let runner: DevRunnerSettings
    /// The SAC runner's settings (`algorithm=sac|sacfd`); `nil` for the other algorithms.
    let sacRunner: SACRunnerSettings?
    let seed: UInt64
    /// The settings and demonstrations of `algorithm=bc`, `nil` for the other algorithms.
    let imitation: ImitationSetup?

    /// Reads the setup, naming envs, wrappers and models from `components`; `makeEnv` replaces the config's env and
    /// wrappers. `runner=local` is refused: its learner and actor processes are started by `maze run`
    /// (``RunLauncher``), not in this process; behavioural cloning needs no actors and trains here with either runner
    /// (Maze's `BCDevRunner` and `BCLocalRunner` differ only in data-loading workers).
    init(
        _ composed: ComposedConfig, makeEnv: (@Sendable () throws -> any StructuredEnv)? = nil,
        components: MazeComponents = .builtIn
    ) throws {
        let runnerName = composed.choice("runner") ?? "None"
        guard runnerName == "dev" || (runnerName == "local" && ImitationSetup.isChosen(in: composed)) else {
            if runnerName == "local" {
                throw MazeRunError.runnerNotAvailable(
                    runner: runnerName,
                    reason: "it trains in learner and actor processes, which only `maze run` starts",
                    suggestion: "runner=dev (the same training in one process) or `maze run … runner=local`")
            }
            throw MazeRunError.runnerNotAvailable(
                runner: runnerName, reason: "it is not a training runner", suggestion: "runner=dev")
        }
        let root = composed.root
        let makeEnv = try makeEnv ?? EnvConfiguration(config: root, registries: components.registries).makeEnv
        self.makeEnv = makeEnv
        seed = try Self.baseSeed(root)
        imitation = try ImitationSetup.isChosen(in: composed) ? ImitationSetup(root, makeEnv: makeEnv, seed: seed) : nil
        if composed.choice("algorithm") == "es" {
            try AlgorithmFactory.refuseDeletedSettings(composed)
            algorithm = .evolutionStrategies(
                try ESSettings(algorithm: root.section("algorithm"), runner: root.section("runner")))
            recipe = try components.perception().policyRecipe(model: root.section("model"))
        } else {
            algorithm = .actorCritic(try imitation?.algorithm ?? AlgorithmFactory.make(composed))
            recipe = try components.perception().recipe(model: root.section("model"))
        }
        runner = try DevRunnerSettings(root.section("runner"))
        sacRunner = try algorithm.softActorCritic.map { _ in try SACRunnerSettings(root.section("runner")) }
        try SeedingConfiguration(root).refuseExplicitSeedsForTraining()
    }

    /// `seeding.<key>` (`env_base_seed` or `agent_base_seed`), or a random seed when it is null, as in Maze.
    static func baseSeed(_ root: ConfigSection, key: String = "env_base_seed") throws -> UInt64 {
        guard let seed = root.nonNull("seeding")?.nonNull(key) else { return UInt64.random(in: 0..<(1 << 31)) }
        let value = try seed.int()
        guard value >= 0 else {
            throw MazeRunError.invalidConfig(key: "seeding.\(key)", problem: "must not be negative, got \(value)")
        }
        return UInt64(value)
    }

    /// A SAC dev runner for this setup (`algorithm=sac|sacfd`), seeded from the config; see ``SACRunnerSettings``
    /// for what it reads from the `runner` section.
    func makeSACRunner(_ sac: SoftActorCritic, options: DevRunner<SoftActorCriticModel>.Options) throws
        -> DevRunner<SoftActorCriticModel>
    {
        var options = options
        options.seed = seed
        options.normalizationSamples = runner.normalizationSamples
        options.evaluationEnvCount = runner.evaluationEnvCount
        return try DevRunner.make(
            makeEnv: makeEnv, algorithm: sac, recipe: recipe, runner: sacRunner ?? SACRunnerSettings(), options: options
        )
    }

    /// The runner for this setup (the dev runner, or ES's), seeded from the config.
    func makeRunner(options: DevRunner<ActorCriticModel>.Options) throws -> any InProcessTrainer<ActorCriticModel> {
        var options = options
        options.seed = seed
        options.normalizationSamples = runner.normalizationSamples
        options.evaluationEnvCount = runner.evaluationEnvCount
        if let imitation {
            return try DevRunner.imitation(
                makeEnv: makeEnv, algorithm: imitation.algorithm, training: imitation.training,
                validation: imitation.validation, recipe: recipe, options: options)
        }
        switch algorithm {
        case .actorCritic(let algorithm):
            return try DevRunner.make(
                makeEnv: makeEnv, algorithm: algorithm, recipe: recipe, envCount: runner.envCount, options: options)
        case .evolutionStrategies(let settings):
            return try ESRunner(makeEnv: makeEnv, settings: settings, recipe: recipe, options: options)
        }
    }

    /// The run's memory estimate: its networks on the env's spaces, one rollout of every training env and SAC's replay
    /// buffer (ES holds no rollouts; its noise table is bounded by ``ESSettings/maximumNoiseTableSize``).
    func memoryEstimate() throws -> TrainingMemoryEstimate {
        let env = try makeEnv()
        return TrainingMemoryEstimate(
            recipe: recipe, observationSpaces: env.observationSpaces, actionSpaces: env.actionSpaces,
            rolloutRows: TrainingMemoryEstimate.multiply(algorithm.common.nRolloutSteps, envCount),
            heldRollouts: 1, replayBufferBytes: try algorithm.softActorCritic?.replayBufferBytes(for: env) ?? 0)
    }

    /// Progress units per update: the rollout length times the training envs; behavioural cloning's minibatch size;
    /// one for an ES update.
    var stepsPerUpdate: Int {
        guard case .actorCritic = algorithm else { return 1 }
        return algorithm.common.nRolloutSteps * (imitation == nil ? envCount : 1)
    }

    /// The training envs: SAC's `algorithm.num_actors`, otherwise the runner's.
    var envCount: Int { algorithm.softActorCritic?.settings.numActors ?? runner.envCount }
}
