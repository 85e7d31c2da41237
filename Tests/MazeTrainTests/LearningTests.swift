import Foundation
import MazeCore
import MazePerception
import Testing

@testable import MazeEnvs
@testable import MazeTrain

/// The algorithms learn: each test trains in the dev runner with a fixed seed until the deterministic
/// evaluation (8 episodes) reaches the target, and prints the env steps it needed.
///
/// Debug builds are far too slow for this, so the suite runs only when asked for, in release:
///
///     MAZE_LEARNING_TESTS=1 swift test -c release --filter Learning
///
/// On a loaded machine add `OPENBLAS_NUM_THREADS=1`: the networks are small, and BLAS threads competing
/// for busy cores make the same run several times slower.
///
/// Hyperparameters differ from Maze's shipped defaults where that makes learning fast enough for a
/// test; every difference is set explicitly below (the YAML defaults stay Maze's).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"), .serialized)
struct LearningTests {
    /// Trains until `target` or `maxEnvSteps`; returns the env steps needed (nil if never reached).
    static func learn(
        env: String, algorithm: any ActorCriticAlgorithm, hiddenUnits: [Int] = [64, 64], envCount: Int, target: Double,
        maxEnvSteps: Int, seed: UInt64 = 1
    ) throws -> DevRunner<ActorCriticModel>.Summary {
        var options = DevRunner<ActorCriticModel>.Options()
        options.seed = seed
        options.targetReturn = target
        options.maxEnvSteps = maxEnvSteps
        options.log = { _ in }
        let runner = try DevRunner.make(
            env: env, algorithm: algorithm, recipe: .flattenConcat(hiddenUnits: hiddenUnits), envCount: envCount,
            options: options)
        let clock = ContinuousClock()
        let start = clock.now
        let summary = try runner.train()
        print(
            "[learning] \(env) \(type(of: algorithm)): best \(summary.bestReturn ?? .nan) after \(summary.envSteps) env steps, "
                + "target reached at \(summary.envStepsToTarget.map(String.init) ?? "never"), \(clock.now - start)")
        return summary
    }

    /// Changes shared by the CartPole runs: evaluate every few updates, no epoch limit or patience stop.
    static func fast(_ common: inout ActorCriticSettings, lr: Float, rolloutSteps: Int, epochLength: Int) {
        common.nEpochs = 0
        common.patience = 0
        common.epochLength = epochLength
        common.nRolloutSteps = rolloutSteps
        common.lr = lr
        common.gamma = 0.99
        common.entropyCoef = 0
        common.maxGradNorm = 0.5
    }

    /// PPO with λ 0.95 and 10 passes over minibatches of `batchSize`, on top of ``fast(_:lr:rolloutSteps:epochLength:)``.
    static func ppo(rolloutSteps: Int, epochLength: Int, batchSize: Int) -> PPOSettings {
        var settings = PPOSettings()
        fast(&settings.common, lr: 1e-3, rolloutSteps: rolloutSteps, epochLength: epochLength)
        settings.gaeLambda = 0.95
        settings.batchSize = batchSize
        settings.nOptimizationEpochs = 10
        return settings
    }

    /// PPO: lr 1e-3, γ 0.99, λ 0.95, 64-step rollouts of 8 envs, minibatches of 128, 10 passes,
    /// no entropy bonus, gradient norm 0.5.
    @Test func ppoSolvesCartPole() throws {
        let settings = Self.ppo(rolloutSteps: 64, epochLength: 4, batchSize: 128)
        let summary = try Self.learn(
            env: "CartPole-v1", algorithm: PPO(settings), envCount: 8, target: 475, maxEnvSteps: 400_000)
        #expect(summary.envStepsToTarget != nil)
    }

    /// IMPALA: lr 1e-3, γ 0.99, 32-step rollouts of 8 actors per learner batch, no entropy bonus,
    /// gradient norm 0.5; V-trace thresholds as shipped (ρ̄ = ρ̄_pg = 1).
    @Test func impalaSolvesCartPole() throws {
        var settings = IMPALASettings()
        Self.fast(&settings.common, lr: 1e-3, rolloutSteps: 32, epochLength: 8)
        settings.actorsBatchSize = 8
        settings.numActors = 8
        let summary = try Self.learn(
            env: "CartPole-v1", algorithm: IMPALA(settings), envCount: settings.numActors, target: 475,
            maxEnvSteps: 1_000_000)
        #expect(summary.envStepsToTarget != nil)
    }

    /// A2C: lr 1e-3, γ 0.99, λ 0.95, 16-step rollouts of 8 envs, no entropy bonus, gradient norm 0.5.
    @Test func a2cSolvesCartPole() throws {
        var settings = A2CSettings()
        Self.fast(&settings.common, lr: 1e-3, rolloutSteps: 16, epochLength: 16)
        settings.gaeLambda = 0.95
        let summary = try Self.learn(
            env: "CartPole-v1", algorithm: A2C(settings), envCount: 8, target: 475, maxEnvSteps: 1_500_000)
        #expect(summary.envStepsToTarget != nil)
    }

    /// PPO on Pendulum-v1: lr 1e-3, γ 0.9, λ 0.95, 256-step rollouts of 8 envs, minibatches of 256,
    /// 10 passes, no entropy bonus, gradient norm 0.5.
    @Test func ppoSwingsUpPendulum() throws {
        var settings = Self.ppo(rolloutSteps: 256, epochLength: 2, batchSize: 256)
        settings.common.gamma = 0.9
        let summary = try Self.learn(
            env: "Pendulum-v1", algorithm: PPO(settings), envCount: 8, target: -250, maxEnvSteps: 1_000_000)
        #expect(summary.envStepsToTarget != nil)
    }
}

/// PPO on the masked structured cutting problem against the random masked policy and the greedy
/// best-fit heuristic, compared by raw pieces used per step (the env's `raw_piece_usage_per_step` KPI).
/// In the same serialized suite, so that no two trainings compete for the cores.
extension LearningTests {
    static func cuttingArguments(maxPieces: Int) -> ConfigSection {
        [
            "max_pieces_in_inventory": .int(maxPieces), "raw_piece_size": .list([.int(100), .int(100)]),
            "static_demand": .list([.int(30), .int(15)]),
        ]
    }

    static func makeCuttingEnv(maxPieces: Int = 200) throws -> any StructuredEnv {
        try TimeLimitWrapper(
            Registries.withMazeEnvs.makeEnv("cutting_2d_struct_masked", cuttingArguments(maxPieces: maxPieces)),
            maxEpisodeSteps: 200)
    }

    /// Raw pieces per step of `policy` and its mean return over `episodes` episodes of `makeEnv`'s env.
    static func rawPiecesPerStep(
        _ policy: any Policy, episodes: Int, makeEnv: () throws -> any StructuredEnv = { try makeCuttingEnv() }
    ) throws -> (rawPieces: Double, meanReturn: Double) {
        let env = LogStatsWrapper(try makeEnv(), loggingPrefix: "eval")
        var total = 0.0
        for episode in 0..<episodes {
            env.seed(UInt64(episode))
            var observation = try env.reset()
            while true {
                let action = try policy.computeAction(
                    observation: observation, actorID: env.actorID, deterministic: true, env: env)
                let result = try env.step(action)
                total += result.reward
                if result.done { break }
                observation = result.observation
            }
        }
        return (try rawPieces(in: env.reduceEpoch()), total / Double(episodes))
    }

    static func rawPieces(in stats: LogStats) throws -> Double {
        try #require(stats.value(topic: "BaseEnvEvents", event: "kpi", name: "mean/raw_piece_usage_per_step")).scalar
    }

    /// PPO: lr 1e-3, γ 0.99, λ 0.95, 32-decision rollouts of 8 envs, minibatches of 128, 10 passes,
    /// no entropy bonus, gradient norm 0.5; the masks the env declares, none listed in the recipe.
    @Test func ppoCutsAtLeastAsWellAsTheGreedyHeuristic() throws {
        let random = try Self.rawPiecesPerStep(
            RandomPolicy(
                actionSpaces: try Self.makeCuttingEnv().actionSpaces,
                maskKeys: ["piece_idx": "inventory_mask", "cut_rotation": "cutting_mask"],
                seed: 3),
            episodes: 4)
        let greedy = try Self.rawPiecesPerStep(Cutting2DGreedyPolicy(), episodes: 1)

        var settings = Self.ppo(rolloutSteps: 32, epochLength: 4, batchSize: 128)
        settings.common.rolloutEvaluator.nEpisodes = 1
        let recipe = ModelRecipe.flattenConcat(hiddenUnits: [64, 64])
        var options = DevRunner<ActorCriticModel>.Options()
        options.seed = 1
        options.maxEnvSteps = 200_000
        options.log = { _ in }
        options.targetReturn = greedy.meanReturn
        let runner = try DevRunner.make(
            makeEnv: { try Self.makeCuttingEnv() }, algorithm: PPO(settings), recipe: recipe, envCount: 8,
            options: options)
        let summary = try runner.train()

        let evaluationEnv = LogStatsWrapper(try Self.makeCuttingEnv(), loggingPrefix: "eval")
        let evaluator = try RolloutEvaluator(
            envs: [evaluationEnv], settings: EvaluatorSettings(deterministic: true, nEpisodes: 1), seed: 9)
        let stats = try evaluator.evaluate(runner.model).stats
        let trained = try Self.rawPieces(in: stats)
        let invalidSelections = stats.entries.filter { $0.key.event == "invalid_piece_selected" }.map(\.value.scalar)
            .reduce(0, +)
        print(
            "[learning] cutting_2d_struct_masked PPO: \(trained) raw pieces/step after \(summary.envSteps) env steps "
                + "(target at \(summary.envStepsToTarget.map(String.init) ?? "never")); random masked \(random.rawPieces), greedy \(greedy.rawPieces); "
                + "\(invalidSelections) invalid piece selections")
        #expect(invalidSelections == 0)
        #expect(trained < random.rawPieces)
        #expect(trained <= greedy.rawPieces)
    }
}
