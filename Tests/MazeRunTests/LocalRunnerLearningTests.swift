import Foundation
import Testing

/// `maze run -cn conf_train … algorithm=impala runner=local` on the release-built executable: the in-process
/// learner and one actor process (`+runner.concurrency=1`; IMPALA's `num_actors=4` still sets the accepted policy
/// lag) solve CartPole-v1 (best evaluation mean ≥ 475) and the run ends on its own. Measured on 2 loaded cores:
/// solved after 35 epochs (18.8 s wall); with four actor processes 38 epochs (42.2 s), and in one loaded CI run
/// four processes stopped on patience at 303: one process is the setting this test holds fixed.
///
///     swift build -c release --product maze && MAZE_LEARNING_TESTS=1 swift test -c release --filter "Learning|EndToEnd"
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"))
struct LocalRunnerLearningTests {
    @Test func impalaWithTheLocalRunnerSolvesCartPole() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        // The service learning test's fast IMPALA settings, with early stopping ending the run once it is solved.
        let run = try RunTestSupport.maze(
            [
                "run", "-cn", "conf_train", "env=gym_env", "env.name=CartPole-v1", "algorithm=impala", "runner=local",
                "model=vector_obs", "critic=template_state",
                "model.model_builder.modality_config.feature.block_params.hidden_units=[64,64]",
                "algorithm.n_epochs=150", "algorithm.patience=15", "algorithm.lr=0.001", "algorithm.gamma=0.99",
                "algorithm.entropy_coef=0", "algorithm.max_grad_norm=0.5", "algorithm.n_rollout_steps=32",
                "algorithm.epoch_length=8", "algorithm.actors_batch_size=4", "algorithm.num_actors=4",
                "+runner.concurrency=1", "log_base_dir=\(outputs.path)",
            ], seconds: 1800)
        #expect(run.succeeded, "\(run.errorOutput)")
        let summary = try #require(
            run.output.split(separator: "\n").last { $0.hasPrefix("Experiment ") && $0.contains(" done after ") })
        let best = try #require(summary.split(separator: " ").last.flatMap { Double($0) })
        #expect(best >= 475)
    }
}
