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
        let folder = outputs.appendingPathComponent("cutting_2d_struct-None-None-parallel/\(RunDirectory.timestamp(date))")
        #expect(console.text.contains("Run folder: \(folder.path)"))

        let writer = MsgPackTrajectoryWriter(outputDirectory: folder)
        #expect(result.episodes.count == 3)
        for episode in result.episodes {
            let record = try MsgPackTrajectoryReader.read(contentsOf: writer.fileURL(episodeIndex: episode.episodeIndex))
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

    @Test func rolloutWithoutRecordingLeavesNoRunFolder() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let composed = try RunTestSupport.composer.compose(overrides: [
            "env=gym_env", "env.name=CartPole-v1", "runner=sequential", "runner.n_episodes=1", "runner.max_episode_steps=5",
            "runner.record_event_logs=false", "log_base_dir=\(outputs.path)",
        ])
        let setup = try RolloutSetup(composed)
        #expect(!setup.records)
        #expect(try setup.run().episodes.count == 1)
        #expect(!FileManager.default.fileExists(atPath: outputs.path))
    }
}
