import Foundation
import MazeConfig
import MazeCore
import MazeReporting
import MazeTrain
import Testing

@testable import MazeRun

/// Training jobs in run folders (short runs in this process): the layout, multirun job folders, and
/// rollouts of the trained policy from the folder reproducing the evaluation that selected it.
@Suite struct TrainingRunTests {
    static func launcher(_ overrides: [String], multirun: Bool = false, console: ConsoleLines = ConsoleLines())
        -> RunLauncher
    {
        RunLauncher(
            composer: RunTestSupport.composer, rootConfig: "conf_train", overrides: overrides, multirun: multirun,
            commandLine: ["maze", "run"] + overrides, output: console.output)
    }

    static func training(_ result: RunLauncher.JobResult) throws -> TrainingRun.Outcome {
        guard case .training(let outcome) = result else {
            throw MazeRunError.invalidConfig(key: "test", problem: "expected a training job")
        }
        return outcome
    }

    @Test func shortTrainingLeavesTheRunFolderLayout() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let overrides = RunTestSupport.tinyTraining(logBaseDir: outputs)
        let results = try Self.launcher(overrides).run(date: date)
        let outcome = try Self.training(try #require(results.first))

        let timestamp = RunDirectory.timestamp(date)
        let folder = outcome.folder
        #expect(
            folder.root.standardizedFileURL
                == outputs.appendingPathComponent("gym_env-vector_obs-ppo-dev/\(timestamp)").standardizedFileURL)
        let manager = FileManager.default
        for file in [folder.configFile, folder.commandFile, folder.csvFile, folder.jsonlFile, folder.reportFile] {
            #expect(manager.fileExists(atPath: file.path), "\(file.lastPathComponent)")
        }
        #expect(
            try manager.contentsOfDirectory(atPath: folder.tensorboardDirectory.path).contains {
                $0.hasPrefix("events.out.tfevents.")
            })
        for checkpoint in [folder.bestCheckpointDirectory, folder.lastCheckpointDirectory] {
            #expect(manager.fileExists(atPath: checkpoint.appendingPathComponent("state_dict.safetensors").path))
        }
        let composed = try RunTestSupport.composer.compose(rootConfig: "conf_train", overrides: overrides)
        #expect(try String(contentsOf: folder.configFile, encoding: .utf8) == composed.yaml)
        #expect(
            try String(contentsOf: folder.commandFile, encoding: .utf8).hasPrefix(
                "maze run env=gym_env env.name=CartPole-v1"))
        let log = try ScalarLog(contentsOf: folder.jsonlFile)
        #expect(log.records.map(\.step) == [1, 2])
        #expect(log.keys.contains { $0.contains("policy_loss") })
        #expect(try String(contentsOf: folder.reportFile, encoding: .utf8).contains("<svg"))
        #expect(outcome.summary.epochs == 2)
        #expect(outcome.summary.envSteps == 2 * 2 * 16 * 2)
    }

    @Test func multirunPutsEachJobInItsNumberedFolder() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let overrides = RunTestSupport.tinyTraining(logBaseDir: outputs) + ["algorithm.lr=0.001,0.0005"]
        let console = ConsoleLines()
        let outcomes = try Self.launcher(overrides, multirun: true, console: console).run(date: date).map(Self.training)
        let sweep = outputs.appendingPathComponent("gym_env-vector_obs-ppo-dev/\(RunDirectory.timestamp(date))")
        #expect(try RunTestSupport.subfolders(of: sweep).map(\.lastPathComponent) == ["0", "1"])
        #expect(outcomes.map { $0.folder.root.lastPathComponent } == ["0", "1"])
        for (job, lr) in zip(outcomes, ["0.001", "0.0005"]) {
            #expect(try String(contentsOf: job.folder.configFile, encoding: .utf8).contains("lr: \(lr)\n"))
        }
        #expect(console.text.contains("#1 : "))
    }

    /// Extra training overrides: none, and the experiment with the observation normalization wrapper
    /// (its statistics must travel with the checkpoint).
    static let wrapperVariants: [[String]] = [
        [],
        [
            "+experiment=cartpole_ppo_wrappers", "runner.normalization_samples=64",
            "wrappers.ObservationNormalizationWrapper.default_strategy_config.axis=[0]",
        ],
    ]

    @Test(arguments: wrapperVariants)
    func rolloutFromTheRunFolderLoadsTheBestModelAndReproducesItsReturn(wrappers: [String]) throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let overrides = RunTestSupport.tinyTraining(logBaseDir: outputs) + wrappers
        let trained = try Self.training(try #require(Self.launcher(overrides).run().first))
        let best = try Checkpoint.load(from: trained.folder.bestCheckpointDirectory)
        #expect((best.normalization != nil) == !wrappers.isEmpty)
        let last = try Checkpoint.load(from: trained.folder.lastCheckpointDirectory)

        let console = ConsoleLines()
        let rollout = RunLauncher(
            composer: RunTestSupport.composer,
            overrides: [
                "policy=torch_policy", "input_dir=\(trained.folder.root.path)", "model=vector_obs", "runner=sequential",
                "runner.n_episodes=\(trained.evaluationEpisodes)", "seeding.env_base_seed=\(trained.evaluationSeed)",
                "log_base_dir=\(outputs.path)",
            ],
            output: console.output)
        let setup = try RolloutSetup(try #require(rollout.composeJobs().first).config)
        #expect(try #require(setup.trainedRun).checkpoint.weights == best.weights)
        #expect(best.weights != last.weights || best.optimizer?.step == last.optimizer?.step)
        guard case .rollout(let result) = try #require(try rollout.run().first) else {
            Issue.record("expected a rollout")
            return
        }
        #expect(result.meanReturn == trained.evaluationReturn)
        #expect(console.text.contains("Loaded the best model of \(trained.folder.root.path)"))
        #expect(console.text.contains("Mean return over 2 episodes: "))
    }

    @Test func parallelRolloutsMatchSequentialOnes() throws {
        func rollout(_ runner: String) throws -> RolloutResult {
            let composed = try RunTestSupport.composer.compose(
                overrides: [
                    "env=gym_env", "env.name=CartPole-v1", "runner=\(runner)", "runner.n_episodes=5",
                    "runner.max_episode_steps=30",
                    "runner.deterministic=false", "runner.record_event_logs=false", "seeding.env_base_seed=11",
                    "seeding.agent_base_seed=12",
                ] + (runner == "parallel" ? ["runner.n_processes=3"] : []))
            return try RolloutSetup(composed).run()
        }
        let sequential = try rollout("sequential")
        let parallel = try rollout("parallel")
        #expect(sequential.episodeReturns == parallel.episodeReturns)
        #expect(sequential.episodeReturns.allSatisfy { $0 > 0 && $0 <= 30 })
        #expect(sequential.episodes.map(\.envSeed) == RolloutEvaluator.episodeSeeds(baseSeed: 11, count: 5))
        let stats = sequential.statistics.reduce(prefix: "rollout")
        #expect(stats.value(topic: "BaseEnvEvents", event: "reward", name: "episode_count")?.scalar == 5)
    }

    @Test func unknownPolicyAndMissingRunFolderAreClearErrors() throws {
        let unknown = try RunTestSupport.composer.compose(overrides: ["policy._target_=cartpole_heuristik"])
        #expect(throws: MazeError.self) { try RolloutSetup(unknown) }
        let missing = try RunTestSupport.composer.compose(overrides: [
            "policy=torch_policy", "input_dir=/nonexistent/run",
        ])
        #expect(
            throws: MazeRunError.invalidRunFolder(
                path: "/nonexistent/run", problem: "no readable config.yaml; is it the folder of a training run?")
        ) {
            try RolloutSetup(missing)
        }
    }
}
