import Foundation
import MazeCore
import MazeRun
import Testing

/// `maze run -cn conf_train algorithm=bc` in a debug build: a tiny recording cloned for one epoch into a run folder
/// that PPO continues from (`input_dir`), and a missing dataset refused by its key.
@Suite struct ImitationRunTests {
    @Test func aClonedRunFolderContinuesWithPPO() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let common = [
            "env=gym_env", "env.name=CartPole-v1", "+env.max_episode_steps=30", "seeding.env_base_seed=2",
            "log_base_dir=\(outputs.path)",
        ]
        _ = try RunLauncher(
            composer: RunTestSupport.composer, rootConfig: "conf_rollout",
            overrides: common + [
                "policy._target_=cartpole_heuristic", "runner=sequential", "runner.n_episodes=3",
                "runner.record_trajectory=true", "runner.record_event_logs=false",
            ], silent: true
        ).run()
        let trajectories = try #require(
            FileManager.default.enumerator(at: outputs, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }
                .first { $0.lastPathComponent == "trajectory_data" })
        let small = ["model=vector_obs", "critic=template_state"]
        let console = ConsoleLines()
        let results = try RunLauncher(
            composer: RunTestSupport.composer, rootConfig: "conf_train",
            overrides: common + small + [
                "algorithm=bc", "runner.dataset.input_data=\(trajectories.path)", "algorithm.n_epochs=1",
                "algorithm.n_eval_episodes=1", "algorithm.validation_percentage=30",
            ], output: console.output
        ).run()
        guard case .training(let clone) = try #require(results.first) else {
            Issue.record("algorithm=bc with the default runner=local did not train in this process")
            return
        }
        #expect(console.text.contains("Behavioural cloning from 90 demonstrated decisions: 60 for training, 30 for"))
        #expect(console.text.contains("eval                  ImitationEvents       discrete_accuracy     0/action"))
        #expect(console.text.contains("-> new overall best model "))
        let tuned = try RunLauncher(
            composer: RunTestSupport.composer, rootConfig: "conf_train",
            overrides: common + small + [
                "algorithm=ppo", "runner=dev", "input_dir=\(clone.folder.root.path)", "algorithm.n_epochs=1",
                "algorithm.epoch_length=1", "algorithm.n_rollout_steps=8", "algorithm.rollout_evaluator.n_episodes=1",
            ], silent: true
        ).run()
        guard case .training = try #require(tuned.first) else {
            Issue.record("PPO did not continue from the clone")
            return
        }
    }

    @Test func aMissingDatasetIsRefusedByItsKey() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        do {
            _ = try RunLauncher(
                composer: RunTestSupport.composer, rootConfig: "conf_train",
                overrides: [
                    "env=gym_env", "env.name=CartPole-v1", "algorithm=bc", "runner=dev",
                    "runner.dataset.input_data=\(outputs.path)/none", "log_base_dir=\(outputs.path)",
                ], silent: true
            ).run()
            Issue.record("a missing dataset was accepted")
        } catch {
            #expect("\(error)".contains("runner.dataset.input_data") && "\(error)".contains("\(outputs.path)/none"))
        }
        #expect(!FileManager.default.fileExists(atPath: outputs.path), "no run folder for a refused run")
    }
}
