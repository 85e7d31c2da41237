import Foundation
import MazeConfig
import MazeCore
import MazeTrajectory
import Testing

@testable import MazeRun

/// `maze run` rollouts recording into their run folder: trajectories (`runner.record_trajectory`) as msgpack
/// files under `trajectory_data/`, events (`runner.record_event_logs`) as TSV under `event_logs/`. The
/// structured cutting env is used because it reports events every step.
@Suite struct RolloutRecordingTests {
    @Test func recordingRolloutWritesReadableTrajectoriesAndEventLogs() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let console = ConsoleLines()
        let launcher = RunLauncher(
            composer: RunTestSupport.composer,
            overrides: [
                "env=cutting_2d_struct", "runner=parallel", "runner.n_processes=2", "runner.n_episodes=3",
                "runner.max_episode_steps=8", "runner.record_trajectory=true", "runner.record_event_logs=true",
                "seeding.env_base_seed=7", "seeding.agent_base_seed=8", "log_base_dir=\(outputs.path)",
            ],
            output: console.output)
        guard case .rollout(let result) = try #require(try launcher.run(date: date).first) else {
            Issue.record("expected a rollout")
            return
        }
        let folder = outputs.appendingPathComponent(
            "cutting_2d_struct-None-None-parallel/\(RunDirectory.timestamp(date))")
        #expect(console.text.contains("Run folder: \(folder.path)"))

        let writer = MsgPackTrajectoryWriter(outputDirectory: folder)
        #expect(result.episodes.count == 3)
        for episode in result.episodes {
            let record = try MsgPackTrajectoryReader.read(
                contentsOf: writer.fileURL(episodeIndex: episode.episodeIndex))
            #expect(record.episodeIndex == episode.episodeIndex)
            #expect(record.envSeed == episode.envSeed && record.agentSeed == episode.agentSeed)
            #expect(record.steps.count == episode.stepCount)
            #expect(record.steps.map(\.reward).reduce(0, +) == episode.totalReward)
        }

        let eventLogs = folder.appendingPathComponent("event_logs")
        let workers = try RunTestSupport.subfolders(of: eventLogs)
        #expect(workers.map(\.lastPathComponent) == ["worker_0", "worker_1"])
        let stepCounts = Dictionary(uniqueKeysWithValues: result.episodes.map { ($0.episodeIndex, $0.stepCount) })
        var rows = 0
        for worker in workers {
            for file in try RunTestSupport.subfolders(of: worker) {
                #expect(file.pathExtension == "tsv")
                let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
                #expect(lines.first?.hasPrefix("episode_id\tstep") == true)
                for line in lines.dropFirst() {
                    let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                    let episode = try #require(fields.first.flatMap { Int($0) })
                    let step = try #require(fields.dropFirst().first.flatMap { Int($0) })
                    #expect(step < (stepCounts[episode] ?? 0), "\(file.lastPathComponent): \(line)")
                    rows += 1
                }
            }
        }
        #expect(rows > 0)
    }

    @Test func anEnvWithoutEventsLeavesNoEmptyEventLogFolders() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let composed = try RunTestSupport.composer.compose(overrides: [
            "env=gym_env", "env.name=CartPole-v1", "runner=parallel", "runner.n_processes=2", "runner.n_episodes=2",
            "runner.max_episode_steps=5", "runner.record_event_logs=true", "log_base_dir=\(outputs.path)",
        ])
        let setup = try RolloutSetup(composed)
        _ = try setup.run()
        let eventLogs = setup.outputDirectory.appendingPathComponent("event_logs")
        let workers = (try? FileManager.default.contentsOfDirectory(atPath: eventLogs.path)) ?? []
        for worker in workers {
            #expect(
                try !FileManager.default.contentsOfDirectory(atPath: eventLogs.appendingPathComponent(worker).path)
                    .isEmpty, "\(worker)")
        }
    }

    @Test func recordingRolloutsStartedInTheSameSecondGetFoldersOfTheirOwn() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let composed = try RunTestSupport.composer.compose(overrides: [
            "env=gym_env", "env.name=CartPole-v1", "runner=sequential", "runner.n_episodes=1",
            "runner.max_episode_steps=5", "runner.record_trajectory=true", "log_base_dir=\(outputs.path)",
        ])
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let first = try RolloutSetup(composed, date: date)
        let second = try RolloutSetup(composed, date: date)
        #expect(second.outputDirectory.path == first.outputDirectory.path + "_1")
        for setup in [first, second] {
            let episode = try #require(try setup.run().episodes.first)
            let file = MsgPackTrajectoryWriter(outputDirectory: setup.outputDirectory)
                .fileURL(episodeIndex: episode.episodeIndex)
            #expect(try MsgPackTrajectoryReader.read(contentsOf: file).steps.count == episode.stepCount)
        }
    }

    @Test func rolloutWithoutRecordingLeavesNoRunFolder() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let composed = try RunTestSupport.composer.compose(overrides: [
            "env=gym_env", "env.name=CartPole-v1", "runner=sequential", "runner.n_episodes=1",
            "runner.max_episode_steps=5",
            "runner.record_event_logs=false", "log_base_dir=\(outputs.path)",
        ])
        let setup = try RolloutSetup(composed)
        #expect(!setup.records)
        #expect(try setup.run().episodes.count == 1)
        #expect(!FileManager.default.fileExists(atPath: outputs.path))
    }
}

/// `seeding.explicit_env_seeds`, `explicit_agent_seeds` and `shuffle_seeds` in rollouts, as Maze's
/// `MazeSeeding`: the lists seed the episodes, and `min(n_episodes, n_seeds)` episodes run.
@Suite struct RolloutSeedingConfigTests {
    static func rollout(_ overrides: [String]) throws -> RolloutResult {
        let composed = try RunTestSupport.composer.compose(
            overrides: [
                "env=gym_env", "env.name=CartPole-v1", "runner=sequential", "runner.n_episodes=5",
                "runner.max_episode_steps=200",
                "runner.deterministic=false", "runner.record_event_logs=false",
            ] + overrides)
        return try RolloutSetup(composed).run()
    }

    @Test func explicitEnvSeedsSeedTheEpisodesAndBoundTheirNumber() throws {
        let first = try Self.rollout(["seeding.explicit_env_seeds=[1,2,3]", "seeding.agent_base_seed=4"])
        let second = try Self.rollout(["seeding.explicit_env_seeds=[4,5,6]", "seeding.agent_base_seed=4"])
        #expect(first.episodes.map(\.envSeed) == [1, 2, 3])
        #expect(second.episodes.map(\.envSeed) == [4, 5, 6])
        #expect(first.episodeReturns != second.episodeReturns)
    }

    @Test func explicitAgentSeedsAndShuffling() throws {
        let agents = try Self.rollout(["seeding.explicit_agent_seeds=[7,8]", "seeding.env_base_seed=1"])
        #expect(agents.episodes.map(\.agentSeed) == [7, 8])
        let shuffled = try Self.rollout([
            "seeding.explicit_env_seeds=[1,2,3,4,5,6,7,8]", "seeding.shuffle_seeds=true", "seeding.env_base_seed=2",
        ])
        #expect(shuffled.episodes.count == 5)
        #expect(Set(shuffled.episodes.map(\.envSeed)).isSubset(of: Set(1...8)))
        #expect(shuffled.episodes.map(\.envSeed) != [1, 2, 3, 4, 5])
    }

    @Test func trainingRefusesSeedListsByName() throws {
        let composed = try RunTestSupport.composer.compose(
            rootConfig: "conf_train",
            overrides: RunTestSupport.tinyTraining(logBaseDir: RunTestSupport.temporaryDirectory()) + [
                "seeding.explicit_env_seeds=[1,2]"
            ])
        #expect(throws: MazeRunError.self) { try TrainingSetup(composed) }
    }
}

/// `runner.render=true` shows the built-in envs' text pictures; the rollout header names the policy run.
@Suite struct RolloutConsoleTests {
    @Test(arguments: [
        ["env=gym_env", "env.name=CartPole-v1"], ["env=gym_env", "env.name=Acrobot-v1"],
        ["env=gym_env", "env.name=Pendulum-v1"],
        ["env=gym_env", "env.name=MountainCar-v0"], ["env=gym_env", "env.name=MountainCarContinuous-v0"],
        ["env=cutting_2d_flat"],
        ["env=cutting_2d_struct_masked"],
    ])
    func renderShowsAPictureAfterEveryStep(env: [String]) throws {
        let pictures = ConsoleLines()
        let composed = try RunTestSupport.composer.compose(
            overrides: env + [
                "runner=sequential", "runner.n_episodes=1", "runner.max_episode_steps=3",
                "runner.record_event_logs=false", "runner.render=true",
            ])
        let result = try RolloutSetup(composed, console: pictures.output).run()
        let steps = try #require(result.episodes.first).stepCount
        #expect(pictures.text.split(separator: "\n", omittingEmptySubsequences: false).count >= steps)
        #expect(!pictures.text.isEmpty)
    }

    @Test func renderWithTheParallelRunnerIsRefusedByKey() throws {
        let composed = try RunTestSupport.composer.compose(overrides: ["runner=parallel", "+runner.render=true"])
        #expect(throws: MazeRunError.self) { try RolloutSetup(composed) }
    }

    @Test func theHeaderNamesThePolicyTarget() throws {
        let console = ConsoleLines()
        _ = try RunLauncher(
            composer: RunTestSupport.composer,
            overrides: [
                "env=gym_env", "env.name=CartPole-v1", "runner=sequential", "runner.n_episodes=1",
                "runner.max_episode_steps=5",
                "runner.record_event_logs=false", "policy._target_=cartpole_heuristic",
            ],
            output: console.output
        ).run()
        #expect(console.text.contains("Rollout of cartpole_heuristic with runner=sequential"))
        #expect(!console.text.contains("random_policy"))
    }
}
