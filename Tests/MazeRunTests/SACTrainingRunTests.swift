import Foundation
import MazeConfig
import MazeCore
import MazeEnvs
import MazeTrain
import Testing

@testable import MazeRun

/// SAC through `maze run` (Maze's `algorithm=sac model=vector_obs critic=template_state_action runner=dev`): the same
/// run folder, best and last checkpoints and rollout command as PPO, and SACfD seeded from a recorded rollout.
@Suite struct SACTrainingRunTests {
    static func tinySAC(_ algorithm: String = "sac", logBaseDir: URL) -> [String] {
        [
            "env=gym_env", "env.name=Pendulum-v1", "algorithm=\(algorithm)", "model=vector_obs",
            "critic=template_state_action", "runner=dev", "algorithm.n_epochs=2", "algorithm.epoch_length=10",
            "algorithm.initial_buffer_size=50", "algorithm.batch_size=16", "algorithm.rollout_evaluator.n_episodes=2",
            "+env.max_episode_steps=30", "log_base_dir=\(logBaseDir.path)", "seeding.env_base_seed=4",
        ]
    }

    @Test func sacTrainsIntoARunFolderWhoseRolloutCommandReproducesTheEvaluation() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let console = ConsoleLines()
        let trained = try TrainingRunTests.training(
            try #require(TrainingRunTests.launcher(Self.tinySAC(logBaseDir: outputs), console: console).run().first))
        // 50 random steps, then 2 epochs of 10 one-step rollouts.
        #expect(trained.summary.epochs == 2 && trained.summary.envSteps == 70)
        #expect(trained.folder.root.path.contains("gym_env-vector_obs-sac-dev"))
        let best = try Checkpoint.load(from: trained.folder.bestCheckpointDirectory)
        _ = try Checkpoint.load(from: trained.folder.lastCheckpointDirectory)
        #expect(best.weights.names.contains { $0.hasPrefix("critic.q2.") })
        #expect(best.weights.names.contains { $0.hasPrefix("policy.") })
        #expect(trained.model is SoftActorCriticModel)
        #expect(console.text.contains("replay them with: \(trained.rolloutCommand)"))

        // The printed rollout command, run from the folder, replays the best model's evaluation (the same episodes and
        // actions; the evaluation acts on a batch of rows, the rollout on one, so Box actions differ in the last bits).
        let command = trained.rolloutCommand.split(separator: " ").dropFirst(2).map(String.init)
        let rollout = RunLauncher(
            composer: RunTestSupport.composer, overrides: command + ["log_base_dir=\(outputs.path)"],
            output: { _ in })
        guard case .rollout(let result) = try #require(try rollout.run().first) else {
            Issue.record("expected a rollout")
            return
        }
        #expect(abs(result.meanReturn - trained.evaluationReturn) <= 1e-6 * abs(trained.evaluationReturn))
    }

    /// `RunContext(algorithm: "sac", critic: "template_state_action")`: trained, evaluated and acting from Swift.
    @Test func runContextTrainsSACAndActsWithItsPolicy() throws {
        let runDir = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: runDir) }
        let context = try RunContext(
            envFactory: { try Registries.withMazeEnvs.makeEnv("Pendulum-v1", ["max_episode_steps": 20]) },
            algorithm: "sac", model: "vector_obs", critic: "template_state_action",
            overrides: [
                "algorithm.epoch_length": 5, "algorithm.initial_buffer_size": 20, "algorithm.batch_size": 8,
                "algorithm.rollout_evaluator.n_episodes": 1, "seeding.env_base_seed": 2,
            ], runDir: runDir, silent: true)
        try context.train(nEpochs: 1)
        let stats = try context.evaluate(nEpisodes: 2)
        #expect(stats.value(topic: "BaseEnvEvents", event: "reward", name: "episode_count")?.scalar == 2)
        let env = try context.envFactory()
        let observation = try env.reset()
        let action = try context.computeAction(observation: observation, deterministic: true)
        #expect(env.actionSpace.contains(action))
        #expect(try context.computeAction(observation: observation, deterministic: true) == action)
    }

    @Test func sacRefusesTheOnPolicyRunnersConcurrencyByKey() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let composed = try RunTestSupport.composer.compose(
            rootConfig: "conf_train", overrides: Self.tinySAC(logBaseDir: outputs) + ["+runner.concurrency=2"])
        do {
            _ = try TrainingRun(composed)
            Issue.record("runner.concurrency was accepted")
        } catch {
            #expect("\(error)".hasPrefix("runner.concurrency"), "\(error)")
        }
    }

    /// Maze's SACfD workflow: record a rollout, then `algorithm=sacfd` with
    /// `runner.initial_demonstration_trajectories.input_data=<run folder>/trajectory_data`.
    @Test func sacfdStartsFromTheTrajectoriesOfARecordedRollout() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let record = RunLauncher(
            composer: RunTestSupport.composer,
            overrides: [
                "env=gym_env", "env.name=Pendulum-v1", "runner=sequential", "runner.n_episodes=2",
                "runner.max_episode_steps=25", "runner.record_trajectory=true", "seeding.env_base_seed=9",
                "log_base_dir=\(outputs.path)",
            ], output: { _ in })
        _ = try record.run()
        let trajectories = try #require(
            FileManager.default.enumerator(atPath: outputs.path)?.compactMap { $0 as? String }
                .first { $0.hasSuffix("trajectory_data") })
        let console = ConsoleLines()
        let overrides =
            Self.tinySAC("sacfd", logBaseDir: outputs) + [
                "runner.initial_demonstration_trajectories.input_data=\(outputs.appendingPathComponent(trajectories).path)"
            ]
        let trained = try TrainingRunTests.training(
            try #require(TrainingRunTests.launcher(overrides, console: console).run().first))
        // Two 25-step episodes cut by the time limit: 24 transitions each; no random steps before the epochs.
        #expect(console.text.contains("the replay buffer starts with 48 demonstration transitions"))
        #expect(trained.summary.envSteps == 20)
    }
}
