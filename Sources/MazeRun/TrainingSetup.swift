import Foundation
import MazeConfig
import MazeCore
import MazeEnvs
import MazePerception
import MazeTrain

/// Everything a training run takes from a composed `conf_train` config: the env factory, the
/// algorithm, the model recipe, the runner's env count and the seed.
struct TrainingSetup {
    let makeEnv: @Sendable () throws -> any StructuredEnv
    let algorithm: any ActorCriticAlgorithm
    let recipe: ModelRecipe
    let runner: DevRunnerSettings
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
        if ImitationSetup.isChosen(in: composed) {
            let imitation = try ImitationSetup(root, makeEnv: makeEnv, seed: seed)
            algorithm = imitation.algorithm
            self.imitation = imitation
        } else {
            algorithm = try AlgorithmFactory.make(composed)
            imitation = nil
        }
        recipe = try components.perception().recipe(model: root.section("model"))
        runner = try DevRunnerSettings(root.section("runner"))
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

    /// A dev runner for this setup, seeded from the config.
    func makeRunner(options: DevRunner<ActorCriticModel>.Options) throws -> DevRunner<ActorCriticModel> {
        var options = options
        options.seed = seed
        options.normalizationSamples = runner.normalizationSamples
        if let imitation {
            return try DevRunner.imitation(
                makeEnv: makeEnv, algorithm: imitation.algorithm, training: imitation.training,
                validation: imitation.validation, recipe: recipe, options: options)
        }
        return try DevRunner.make(
            makeEnv: makeEnv, algorithm: algorithm, recipe: recipe, envCount: runner.envCount, options: options)
    }

    /// The run's memory estimate: its networks on the env's spaces, and one rollout of every training env.
    func memoryEstimate() throws -> TrainingMemoryEstimate {
        let env = try makeEnv()
        return TrainingMemoryEstimate(
            recipe: recipe, observationSpaces: env.observationSpaces, actionSpaces: env.actionSpaces,
            rolloutRows: TrainingMemoryEstimate.multiply(algorithm.common.nRolloutSteps, runner.envCount),
            heldRollouts: 1)
    }

    /// Env steps per update: the rollout length times the training envs; behavioural cloning's minibatch size.
    var stepsPerUpdate: Int { algorithm.common.nRolloutSteps * (imitation == nil ? runner.envCount : 1) }
}
