import Foundation
import MazePerception
import Testing

@testable import MazeTrain

/// The algorithms learn: each test trains in the dev runner with a fixed seed until the deterministic
/// evaluation (8 episodes) reaches the target, and prints the env steps it needed.
///
/// Debug builds are far too slow for this, so the suite runs only when asked for, in release:
///
///     MAZE_LEARNING_TESTS=1 swift test -c release --filter Learning
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
            env: env, algorithm: algorithm, recipe: .flattenConcat(hiddenUnits: hiddenUnits), envCount: envCount, options: options)
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
        let summary = try Self.learn(env: "CartPole-v1", algorithm: PPO(settings), envCount: 8, target: 475, maxEnvSteps: 400_000)
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
            env: "CartPole-v1", algorithm: IMPALA(settings), envCount: settings.numActors, target: 475, maxEnvSteps: 1_000_000)
        #expect(summary.envStepsToTarget != nil)
    }

    /// A2C: lr 1e-3, γ 0.99, λ 0.95, 16-step rollouts of 8 envs, no entropy bonus, gradient norm 0.5.
    @Test func a2cSolvesCartPole() throws {
        var settings = A2CSettings()
        Self.fast(&settings.common, lr: 1e-3, rolloutSteps: 16, epochLength: 16)
        settings.gaeLambda = 0.95
        let summary = try Self.learn(env: "CartPole-v1", algorithm: A2C(settings), envCount: 8, target: 475, maxEnvSteps: 1_500_000)
        #expect(summary.envStepsToTarget != nil)
    }

    /// PPO on Pendulum-v1: lr 1e-3, γ 0.9, λ 0.95, 256-step rollouts of 8 envs, minibatches of 256,
    /// 10 passes, no entropy bonus, gradient norm 0.5.
    @Test func ppoSwingsUpPendulum() throws {
        var settings = Self.ppo(rolloutSteps: 256, epochLength: 2, batchSize: 256)
        settings.common.gamma = 0.9
        let summary = try Self.learn(env: "Pendulum-v1", algorithm: PPO(settings), envCount: 8, target: -250, maxEnvSteps: 1_000_000)
        #expect(summary.envStepsToTarget != nil)
    }
}
