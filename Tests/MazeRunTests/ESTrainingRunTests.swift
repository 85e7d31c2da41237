import Foundation
import MazeConfig
import MazeReporting
import MazeTrain
import Testing

@testable import MazeRun

/// `maze run -cn conf_train env=gym_env env.name=CartPole-v1 algorithm=es model=vector_obs runner=dev`: Maze's
/// command line, no critic needed, the run folder as for the actor-critics, and settings ES would ignore refused.
@Suite struct ESTrainingRunTests {
    static func overrides(_ outputs: URL) -> [String] {
        [
            "env=gym_env", "env.name=CartPole-v1", "algorithm=es", "model=vector_obs", "runner=dev",
            "algorithm.n_epochs=2", "algorithm.n_rollouts_per_update=4", "runner.n_eval_rollouts=2",
            "runner.shared_noise_table_size=100000", "+env.max_episode_steps=30", "log_base_dir=\(outputs.path)",
            "seeding.env_base_seed=3",
        ]
    }

    static func run(_ overrides: [String]) throws -> TrainingRun.Outcome {
        let results = try TrainingRunTests.launcher(overrides).run()
        return try TrainingRunTests.training(try #require(results.first))
    }

    static func message(_ overrides: [String]) -> String {
        do {
            _ = try run(overrides)
            return ""
        } catch { return "\(error)" }
    }

    @Test func mazesCommandLineTrainsIntoARunFolder() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let outcome = try Self.run(Self.overrides(outputs))
        #expect(outcome.summary.epochs == 2)
        #expect(outcome.folder.root.path.contains("gym_env-vector_obs-es-dev"))
        for checkpoint in [outcome.folder.bestCheckpointDirectory, outcome.folder.lastCheckpointDirectory] {
            #expect(
                FileManager.default.fileExists(atPath: checkpoint.appendingPathComponent("state_dict.safetensors").path)
            )
        }
        let log = try ScalarLog(contentsOf: outcome.folder.jsonlFile)
        #expect(log.records.map(\.step) == [1, 2])
        #expect(log.keys.contains { $0.contains("policy_grad_norm") })
        #expect(outcome.evaluationEpisodes == 2)

        // The rollout command the run prints replays the evaluation of the best model.
        let rollout = RunLauncher(
            composer: RunTestSupport.composer,
            overrides: [
                "policy=torch_policy", "input_dir=\(outcome.folder.root.path)", "runner=sequential",
                "runner.n_episodes=\(outcome.evaluationEpisodes)", "seeding.env_base_seed=\(outcome.evaluationSeed)",
                "log_base_dir=\(outputs.path)",
            ],
            output: { _ in })
        guard case .rollout(let result) = try #require(try rollout.run().first) else {
            Issue.record("expected a rollout")
            return
        }
        #expect(result.meanReturn == outcome.evaluationReturn)

        // The checkpoint has the actor-critic layout: PPO continues from the ES run folder.
        let ppo = try Self.run(
            RunTestSupport.tinyTraining(logBaseDir: outputs.appendingPathComponent("ppo"))
                + ["algorithm.n_epochs=1", "input_dir=\(outcome.folder.root.path)"])
        #expect(ppo.summary.epochs == 1)
    }

    @Test func settingsEsWouldIgnoreAreRefusedByKey() {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        #expect(Self.message(Self.overrides(outputs) + ["critic=template_state"]).contains("model.critic"))
        #expect(Self.message(Self.overrides(outputs) + ["+algorithm.lr=0.1"]).contains("algorithm.lr"))
        #expect(
            Self.message(Self.overrides(outputs) + ["algorithm.optimizer._target_=SGD"])
                .contains("algorithm.optimizer._target_"))
    }
}
