import ArgumentParser
import Foundation
import MazeCore
import MazeEnvs
import MazePerception
import MazeSystem
import MazeTensor
import MazeTrain

/// `maze bench train`: PPO on CartPole-v1 in the dev runner until the deterministic evaluation reaches
/// 475 — wall-clock and env steps — with the rollout's env steps/s next to the bare vector env stepped
/// with random actions, and the learner's samples/s per optimization pass next to the model's
/// forward pass alone, both baselines measured in the same run. SAC follows (see `TrainBench+SAC.swift`).
///
/// The hyperparameters are those of the PPO CartPole learning test (not Maze's defaults): lr 1e-3,
/// γ 0.99, λ 0.95, 8 envs × 64 steps, minibatches of 128, 10 passes, no entropy bonus, norm 0.5.
struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract:
            "PPO on CartPole-v1 in the dev runner: time and env steps to an evaluation of 475, throughput; SAC update rates."
    )

    @OptionGroup var options: BenchOptions

    private static let envCount = 8
    private static let target = 475.0

    func run() throws {
        var runs: [DevRunner<ActorCriticModel>.Summary] = []
        var seconds: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<options.repeats {
            let runner = try Self.runner()
            let start = clock.now
            runs.append(try runner.train())
            seconds.append((clock.now - start).inSeconds)
        }
        // Runs that never reached the target count as the slowest.
        guard let reached = Quantile.nearestRank(0.5, of: runs.map { $0.envStepsToTarget ?? .max }), reached != .max
        else {
            throw ValidationError("PPO did not reach an evaluation of \(Self.target) within the step limit")
        }

        let model = try Self.runner().model
        let bareEnvRate = try medianRate(seconds: options.seconds, repeats: options.repeats, Self.bareVectorEnvSteps())
        let forwardRate = try medianRate(seconds: options.seconds, repeats: options.repeats) {
            let observations = try Tensor(repeating: 0.1, shape: [128, 4])
            var random = MazeRandom(seed: 1)
            _ = try model.act(subStep: 0, observations: observations, deterministic: false, random: &random)
            return 128
        }

        var report = BenchmarkReport(title: "train")
        report.add("seconds_to_475", median(seconds), unit: "s", label: "PPO CartPole-v1 wall-clock to eval ≥ 475")
        report.add("env_steps_to_475", Double(reached), unit: "steps", label: "env steps to eval ≥ 475")
        let envRate = median(runs.map(\.envStepsPerSecond))
        report.add("rollout_env_steps_per_s", envRate, unit: "steps/s", label: "rollout env steps/s (policy acting)")
        report.add(
            "bare_vector_env_steps_per_s", bareEnvRate, unit: "steps/s",
            label: "8-env vector env, random actions (baseline)")
        report.addRatio("rollout_over_bare_env", envRate, over: bareEnvRate, label: "rollout / bare vector env")
        let learnerRate = median(runs.map(\.learnerSamplesPerSecond))
        report.add(
            "learner_samples_per_s", learnerRate, unit: "samples/s", label: "learner samples/s per optimization pass")
        report.add(
            "forward_samples_per_s", forwardRate, unit: "samples/s", label: "policy+critic forward only (baseline)")
        report.addRatio(
            "learner_over_forward", learnerRate, over: forwardRate, label: "learner (fwd+bwd+Adam) / forward")
        try Self.addSAC(to: &report, seconds: options.seconds, repeats: options.repeats)
        print(report.render(json: options.json))
    }

    private static func runner() throws -> DevRunner<ActorCriticModel> {
        var settings = PPOSettings()
        settings.common.patience = 0
        settings.common.epochLength = 4
        settings.common.nRolloutSteps = 64
        settings.common.lr = 1e-3
        settings.common.gamma = 0.99
        settings.common.entropyCoef = 0
        settings.common.maxGradNorm = 0.5
        settings.gaeLambda = 0.95
        settings.batchSize = 128
        settings.nOptimizationEpochs = 10
        var options = DevRunner<ActorCriticModel>.Options()
        options.seed = 1
        options.targetReturn = target
        options.maxEnvSteps = 1_000_000
        options.log = { _ in }
        return try DevRunner.make(
            env: "CartPole-v1", algorithm: PPO(settings), recipe: .flattenConcat(hiddenUnits: [64, 64]),
            envCount: envCount,
            options: options)
    }

    /// One unit of work: 100 steps of an 8-env CartPole vector env with uniformly random actions.
    private static func bareVectorEnvSteps() throws -> () throws -> Int {
        let registries = Registries.withMazeEnvs
        let env = try SequentialVectorEnv(envs: (0..<envCount).map { _ in try registries.makeEnv("CartPole-v1") })
        try env.reset(seed: 1)
        var random = MazeRandom(seed: 2)
        var actions = [Float](repeating: 0, count: envCount)
        return {
            for _ in 0..<100 {
                // Written as one array, as the rollout collector does.
                for index in actions.indices { actions[index] = Float(random.nextInt(below: 2)) }
                env.actions = actions
                try env.step()
            }
            return 100 * envCount
        }
    }
}
