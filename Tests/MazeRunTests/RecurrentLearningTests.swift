import Foundation
import MazePerception
import MazeTrain
import Testing

@testable import MazeRun

/// Memory is learned: on CartPole-v1 with the velocities hidden (`wrappers=cartpole_no_velocity`: cart position and
/// pole angle only), PPO with an LSTM policy and critic reaches the maximum evaluation return, while the same network
/// with a dense layer in place of the LSTM stays far below it in the same budget of env steps. Both train in this
/// process exactly as `maze run -cn conf_train +experiment=cartpole_no_velocity_ppo_lstm runner=dev` composes it
/// (rl-zoo's RecurrentPPO settings for CartPoleNoVel-v1, docs/PERCEPTION.md, "Recurrent policies"); the MLP replaces
/// the LSTM (`recurrence`) by two dense layers of 64 (`hidden`). Serialized, so that the two trainings do not compete.
///
///     swift build -c release --product maze && MAZE_LEARNING_TESTS=1 OPENBLAS_NUM_THREADS=1 \
///       swift test -c release --filter RecurrentLearning
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"), .serialized)
struct RecurrentLearningTests {
    /// Env steps both networks get at most: the experiment's 49 epochs of 2,048 (rl-zoo's 1e5; `lin_` annealing
    /// runs over them, so the test keeps them).
    static let budget = 49 * 2048

    /// Trains the experiment with `overrides` on top, seeded with `seed`, until the evaluation reaches 475 or the
    /// budget is spent.
    static func train(_ name: String, overrides: [String] = [], seed: Int = 1) throws -> TrainingSummary {
        let composed = try RunTestSupport.composer.compose(
            rootConfig: "conf_train",
            overrides: [
                "+experiment=cartpole_no_velocity_ppo_lstm", "runner=dev", "seeding.env_base_seed=\(seed)",
                "seeding.agent_base_seed=\(seed)",
            ] + overrides)
        var options = DevRunner<ActorCriticModel>.Options()
        options.targetReturn = 475
        options.log = { _ in }
        let clock = ContinuousClock()
        let start = clock.now
        let summary = try TrainingSetup(composed).makeRunner(options: options).train()
        print(
            "[learning] CartPole-v1 without velocities, PPO \(name), seed \(seed): best \(summary.bestReturn ?? .nan) "
                + "after \(summary.envSteps) env steps, target 475 reached at "
                + "\(summary.envStepsToTarget.map(String.init) ?? "never"), \(clock.now - start)")
        return summary
    }

    @Test func lstmPPOSolvesCartPoleWithoutVelocities() throws {
        let summary = try Self.train("LSTM")
        #expect(summary.envStepsToTarget != nil)
        #expect((summary.bestReturn ?? 0) >= 475)
    }

    @Test func mlpPPOFailsCartPoleWithoutVelocities() throws {
        let summary = try Self.train(
            "MLP",
            overrides: [
                "~model.model_builder.modality_config.recurrence",
                "model.model_builder.modality_config.hidden={block_type: DenseBlock, block_params: "
                    + "{hidden_units: [64, 64], non_lin: ReLU}}",
            ])
        #expect(summary.envSteps >= Self.budget)
        #expect((summary.bestReturn ?? .infinity) < 200)
    }
}
