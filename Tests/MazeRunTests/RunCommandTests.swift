import Foundation
import Testing

/// `maze run` as a user types it: every override form, `--cfg job`, and the errors for misspelled
/// keys and options, checked on the built executable (exit status, standard output and error).
@Suite struct RunCommandTests {
    @Test func cfgJobPrintsTheComposedConfigWithEveryOverrideForm() throws {
        let exit = try RunTestSupport.maze([
            "run", "-cn", "conf_train", "env=gym_env", "env.name=Acrobot-v1", "algorithm=a2c", "runner=dev",
            "algorithm.lr=0.001",
            "+algorithm.note=tuned", "~seeding.shuffle_seeds", "--cfg", "job",
        ])
        #expect(exit.status == 0, "\(exit.errorOutput)")
        let yaml = exit.output
        #expect(yaml.contains("name: Acrobot-v1"))
        #expect(yaml.contains("trainer_class: A2C"))
        #expect(yaml.contains("lr: 0.001"))
        #expect(yaml.contains("note: tuned"))
        #expect(!yaml.contains("shuffle_seeds"))
        #expect(yaml.contains("normalization_samples: 1000"))
    }

    @Test func experimentFilesAndConfigDirectoriesCompose() throws {
        let userConfigs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: userConfigs) }
        let files = [
            "algorithm/my_ppo.yaml": "# @package algorithm\ndefaults:\n  - ppo\nlr: 0.0042\n",
            "algorithm_runner/my_ppo-dev.yaml": "# @package runner\ndefaults:\n  - ppo-dev\n",
        ]
        for (path, text) in files {
            let url = userConfigs.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let experiment = try RunTestSupport.maze([
            "run", "-cn", "conf_train", "+experiment=cartpole_ppo_wrappers", "--cfg", "job",
        ])
        #expect(experiment.status == 0, "\(experiment.errorOutput)")
        #expect(experiment.output.contains("lr: 0.0001"))
        #expect(experiment.output.contains("ObservationNormalizationWrapper"))
        let user = try RunTestSupport.maze([
            "run", "-cd", userConfigs.path, "-cn", "conf_train", "algorithm=my_ppo", "runner=dev", "--cfg", "job",
        ])
        #expect(user.status == 0, "\(user.errorOutput)")
        #expect(user.output.contains("lr: 0.0042"))
        #expect(user.output.contains("trainer_class: PPO"))
    }

    @Test func multirunCfgPrintsOneConfigPerJob() throws {
        let exit = try RunTestSupport.maze([
            "run", "-cn", "conf_train", "algorithm.lr=0.001,0.0005", "--multirun", "--cfg", "job",
        ])
        #expect(exit.status == 0, "\(exit.errorOutput)")
        #expect(exit.output.contains("# job 0: algorithm.lr=0.001"))
        #expect(exit.output.contains("# job 1: algorithm.lr=0.0005"))
    }

    @Test func misspelledKeyFailsWithTheNearestKey() throws {
        let exit = try RunTestSupport.maze(["run", "-cn", "conf_train", "algorithm.lrr=0.1"])
        #expect(exit.status == 1)
        #expect(exit.errorOutput == "Error: algorithm.lrr: key not found. Did you mean algorithm.lr?\n")
    }

    @Test func misspelledOptionFailsWithTheNearestOption() throws {
        let exit = try RunTestSupport.maze(["run", "-cn", "conf_train", "algorithm=ppp"])
        #expect(exit.status == 1)
        #expect(exit.errorOutput.contains("Cannot find 'ppp' in config group 'algorithm'"))
        #expect(exit.errorOutput.contains("Did you mean ppo?"))
        let root = try RunTestSupport.maze(["run", "-cn", "conf_trian"])
        #expect(root.status == 1)
        #expect(root.errorOutput.contains("Did you mean conf_train?"))
    }

    @Test func sweepWithoutMultirunIsRejected() throws {
        let exit = try RunTestSupport.maze(["run", "-cn", "conf_train", "algorithm.lr=0.001,0.0005"])
        #expect(exit.status == 1)
        #expect(exit.errorOutput.contains("--multirun"))
    }

    @Test func localRunnerRefusesANegativeActorCountBeforeStartingAnything() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let exit = try RunTestSupport.maze(
            [
                "run", "-cn", "conf_train", "algorithm=impala", "runner=local", "algorithm.num_actors=-1",
                "log_base_dir=\(outputs.path)",
            ])
        #expect(exit.status == 1)
        #expect(exit.errorOutput.contains("algorithm.num_actors: must not be negative"))
        #expect(!FileManager.default.fileExists(atPath: outputs.path))
    }

    @Test func trainingPrintsTheTableBestModelsEpochTimesProgressAndEvaluation() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let exit = try RunTestSupport.maze(
            ["run", "-cn", "conf_train"] + RunTestSupport.tinyTraining(logBaseDir: outputs))
        #expect(exit.status == 0, "\(exit.errorOutput)")
        let text = exit.output
        #expect(text.contains(" step|path"))
        #expect(text.contains("-> new overall best model "))
        #expect(text.contains("Time required for epoch: "))
        #expect(text.contains("Epoch 2/2 [####################] 100% 64/64 steps"))
        #expect(text.contains("steps/s  ETA"))
        #expect(
            text.contains(
                "Evaluation of the best model (2 episodes; replay them with: maze run policy=torch_policy input_dir="))
        #expect(text.split(separator: "\n").last?.contains("|eval ") == true)
    }

    @Test func rolloutWithAHeuristicPrintsTheStatsTable() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let exit = try RunTestSupport.maze([
            "run", "env=gym_env", "env.name=CartPole-v1", "runner=sequential", "runner.n_episodes=2",
            "policy._target_=cartpole_heuristic",
            "log_base_dir=\(outputs.path)",
        ])
        #expect(exit.status == 0, "\(exit.errorOutput)")
        #expect(exit.output.contains("n_episodes=2, deterministic=true, max_episode_steps=0"))
        #expect(exit.output.contains("rollout               BaseEnvEvents         reward                mean"))
        #expect(exit.output.contains("Mean return over 2 episodes: 500.000"))
    }
}
