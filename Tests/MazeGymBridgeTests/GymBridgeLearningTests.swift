import Foundation
import MazeCore
import MazeEnvs
import MazePerception
import MazeTrain
import Testing

/// Training through the bridge (release build, fixed seeds; `--filter Learning`):
///
///     MAZE_LEARNING_TESTS=1 MAZE_PYTHON=$PWD/.venv/bin/python swift test -c release --filter GymBridgeLearning
///
/// PPO on Acrobot-v1 through Gymnasium reaches the return the native port reaches, within the same env-step
/// budget. PPO on LunarLander-v3 (Box2D, no native port) lands: a mean evaluation of at least 200 over 10
/// deterministic episodes. Each run prints its evaluations epoch by epoch, its env steps and its wall time.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"), .serialized)
struct GymBridgeLearningTests {
    /// Trains until `target` or `maxEnvSteps` in the dev runner; prints every epoch's mean evaluation and times, then
    /// env steps and wall time.
    static func learn(
        _ label: String, makeEnv: () throws -> any StructuredEnv, settings: PPOSettings, envCount: Int, target: Double,
        maxEnvSteps: Int, hiddenUnits: [Int] = [64, 64]
    ) throws -> DevRunner<ActorCriticModel>.Summary {
        var options = DevRunner<ActorCriticModel>.Options()
        options.seed = 1
        options.targetReturn = target
        options.maxEnvSteps = maxEnvSteps
        options.log = { _ in }
        options.onEpoch = { epoch, stats in
            func figure(_ prefix: String, _ topic: String, _ event: String, _ name: String = "") -> String {
                let key = StatKey(prefix: prefix, topic: topic, event: event, name: name)
                return stats.entries.first { $0.key == key }.map { String(format: "%.2f", $0.value.scalar) } ?? "-"
            }
            let learner = LearnerStatistics.topic
            print(
                "[learning] \(label) epoch \(epoch): eval mean \(figure("eval", "BaseEnvEvents", "reward", "mean")), "
                    + "epoch \(figure("train", learner, "time_epoch"))s, per update: "
                    + "rollout \(figure("train", learner, "time_rollout"))s, "
                    + "update \(figure("train", learner, "time_update"))s")
        }
        let runner = try DevRunner.make(
            makeEnv: makeEnv, algorithm: PPO(settings), recipe: .flattenConcat(hiddenUnits: hiddenUnits),
            envCount: envCount,
            options: options)
        let clock = ContinuousClock()
        let start = clock.now
        let summary = try runner.train()
        print(
            "[learning] \(label) PPO: best \(summary.bestReturn ?? .nan) after \(summary.envSteps) env steps, "
                + "target \(target) reached at \(summary.envStepsToTarget.map(String.init) ?? "never"), "
                + "\(clock.now - start)")
        return summary
    }

    /// PPO settings with evaluation every `epochLength` updates, no epoch limit or patience stop.
    static func ppo(
        rolloutSteps: Int, epochLength: Int, lr: Float, gamma: Float, lambda: Float, entropy: Float, batchSize: Int,
        passes: Int
    ) -> PPOSettings {
        var settings = PPOSettings()
        settings.common.nEpochs = 0
        settings.common.patience = 0
        settings.common.epochLength = epochLength
        settings.common.nRolloutSteps = rolloutSteps
        settings.common.lr = lr
        settings.common.gamma = gamma
        settings.common.entropyCoef = entropy
        settings.common.maxGradNorm = 0.5
        settings.gaeLambda = lambda
        settings.batchSize = batchSize
        settings.nOptimizationEpochs = passes
        return settings
    }

    /// PPO: γ 0.99, λ 0.95, 64-step rollouts of 8 envs, minibatches of 128, 10 passes, lr 1e-3, evaluation every 4
    /// updates.
    static func acrobotSettings() -> PPOSettings {
        ppo(
            rolloutSteps: 64, epochLength: 4, lr: 1e-3, gamma: 0.99, lambda: 0.95, entropy: 0, batchSize: 128,
            passes: 10)
    }

    @Test func ppoOnBridgedAcrobotLearnsAsOnTheNativePort() throws {
        try BridgeTestSupport.requirePython()
        let (target, budget) = (-100.0, 400_000)
        let native = try Self.learn(
            "Acrobot-v1 (native)", makeEnv: { try Registries.withMazeEnvs.makeEnv("Acrobot-v1") },
            settings: Self.acrobotSettings(),
            envCount: 8, target: target, maxEnvSteps: budget)
        let bridged = try BridgeTestSupport.configuration(
            """
            env: {_target_: make_gym_maze_env, name: Acrobot-v1, backend: gymnasium, n_servers: 1}
            """)
        #expect(bridged.gymBridge != nil)
        let throughBridge = try Self.learn(
            "Acrobot-v1 (Gymnasium bridge)", makeEnv: bridged.makeEnv, settings: Self.acrobotSettings(), envCount: 8,
            target: target,
            maxEnvSteps: budget)
        #expect(native.envStepsToTarget != nil)
        #expect(throughBridge.envStepsToTarget != nil)
    }

    /// PPO: γ 0.999, λ 0.98, 128-step rollouts of 16 envs, minibatches of 64, 4 passes, lr 5e-4, entropy 0.01,
    /// gradient norm 0.5, a 64×64 network: rl-zoo's LunarLander settings but for rollouts 8 times shorter (the policy
    /// improves every 2,048 env steps) and a larger learning rate. Evaluation every 8 updates, 10 deterministic
    /// episodes; training stops at the first evaluation of 200 or more.
    @Test func ppoLandsLunarLanderThroughTheBridge() throws {
        try BridgeTestSupport.requirePython()
        var settings = Self.ppo(
            rolloutSteps: 128, epochLength: 8, lr: 5e-4, gamma: 0.999, lambda: 0.98, entropy: 0.01, batchSize: 64,
            passes: 4)
        settings.common.rolloutEvaluator.nEpisodes = 10
        let config = try BridgeTestSupport.configuration("env: {_target_: make_gym_maze_env, name: LunarLander-v3}")
        #expect(config.gymBridge != nil, "LunarLander-v3 has no native port: it goes through the bridge")
        let summary = try Self.learn(
            "LunarLander-v3", makeEnv: config.makeEnv, settings: settings, envCount: 16, target: 200,
            maxEnvSteps: 1_000_000)
        #expect(summary.envStepsToTarget != nil)
    }
}
