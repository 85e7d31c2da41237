import Foundation
import MazeTestSupport
import Testing

/// SAC through the real executables (release build): `maze learner` and `maze actor --workers 2` on ipc://, the
/// experiment queued with `maze submit … algorithm=sac` and watched with `maze status` until the mean deterministic
/// evaluation on Pendulum-v1 reaches −200; the env steps the learner trained on are read from its metrics.
///
///     MAZE_LEARNING_TESTS=1 OPENBLAS_NUM_THREADS=1 swift test -c release --filter SACServiceLearning
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"), .serialized)
struct SACServiceLearningTests {
    /// The one-process learning test's settings (`SACLearningTests`): 1,000 random initial steps, batches of 256,
    /// [64, 64] ReLU networks; rollouts of 8 steps with 8 gradient steps per iteration, so that each env step is
    /// owed one gradient step as in one process; an evaluation every 64 updates (1,024 env steps of two workers'
    /// two envs each), no early stopping.
    static let overrides = [
        "env=gym_env", "env.name=Pendulum-v1", "algorithm=sac", "model=vector_obs", "critic=template_state_action",
        "model.model_builder.modality_config.feature.block_params.hidden_units=[64,64]",
        "model.model_builder.modality_config.feature.block_params.non_lin=ReLU",
        "algorithm.initial_buffer_size=1000", "algorithm.batch_size=256", "algorithm.n_rollout_steps=8",
        "algorithm.num_batches_per_iter=8", "algorithm.epoch_length=64", "algorithm.patience=0",
        "algorithm.n_epochs=0",
    ]

    @Test func sacLearnsPendulumThroughTheLearnerWithTwoActorWorkers() throws {
        let metricsPort = Int.random(in: 20_000..<60_000)
        let cluster = try TestCluster(
            workers: 2, learnerArguments: ["--metrics", "127.0.0.1:\(metricsPort)", "--checkpoint-every", "1000"])
        let start = Date()
        let submitted = try cluster.submit(Self.overrides)
        #expect(submitted.succeeded, "\(submitted.errorOutput)")
        let id = submitted.output.trimmingCharacters(in: .whitespacesAndNewlines)

        // `TestCluster.waitForBest` starts from 0, above this negative bar: poll here from −∞.
        var (best, envSteps) = (-Double.infinity, 0.0)
        let deadline = Date().addingTimeInterval(150)
        while Date() < deadline, best < -200 {
            Thread.sleep(forTimeInterval: 2)
            guard let status = try cluster.status(id) else { continue }
            #expect(status.state == "running")
            if status.state != "running" { break }
            best = status.best ?? best
            envSteps = Self.value("maze_samples_trained_total", in: try TestCluster.scrape(metricsPort))
        }
        let seconds = Date().timeIntervalSince(start)
        print(
            "[learning] Pendulum-v1 SAC through maze learner with 2 actor workers: best \(best) after at most "
                + "\(Int(envSteps)) env steps, \(String(format: "%.0f", seconds)) s")
        #expect(best >= -200)
        #expect(envSteps > 0 && envSteps <= 20_000)
        // Every batch the workers sent fit SAC's schema.
        let rejected = try TestCluster.scrape(metricsPort).split(separator: "\n")
            .filter { $0.hasPrefix("maze_rejected_frames_total{") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
        #expect(!rejected.isEmpty && rejected.allSatisfy { $0 == 0 })
    }

    /// The value of an unlabelled metric, or −1 when it is missing.
    private static func value(_ name: String, in text: String) -> Double {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { $0.split(separator: " ").last }
            .flatMap { Double($0) } ?? -1
    }
}
