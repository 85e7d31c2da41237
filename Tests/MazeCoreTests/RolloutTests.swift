import Foundation
import Testing

@testable import MazeCore

/// Keeps written trajectories in memory.
private final class CollectingWriter: TrajectoryWriter, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [TrajectoryRecord] = []
    func write(_ record: TrajectoryRecord) throws { lock.withLock { stored.append(record) } }
    var records: [TrajectoryRecord] { lock.withLock { stored } }
}

@Suite struct RolloutTests {
    private let walk = EnvSource.factory { try makeWalkEnv(bound: 4) }
    private let random = AgentSource.named("random_policy")

    private func run(workers: Int, seeding: RolloutSeeding = RolloutSeeding(), episodes: Int = 7) throws
        -> RolloutResult
    {
        let settings = RolloutSettings(nEpisodes: episodes, maxEpisodeSteps: 15, deterministic: false, seeding: seeding)
        return try RolloutRunner(settings: settings, workers: workers).runWith(env: walk, agent: random)
    }

    @Test func sameSeedsGiveTheSameEpisodesForAnyWorkerCount() throws {
        let sequential = try run(workers: 1)
        #expect(sequential.episodes.count == 7)
        #expect(sequential.episodes == (try run(workers: 1)).episodes)
        #expect(sequential.episodes == (try run(workers: 3)).episodes)
        #expect(sequential.episodes.map(\.episodeIndex) == Array(0..<7))
        let other = try run(workers: 1, seeding: RolloutSeeding(envBaseSeed: 99, agentBaseSeed: 98))
        #expect(other.episodes.map(\.totalReward) != sequential.episodes.map(\.totalReward))
        #expect(
            sequential.statistics.reduce().value(topic: "BaseEnvEvents", event: "reward", name: "episode_count")
                == .number(7))
        #expect(sequential.table.contains("rollout_stats         BaseEnvEvents         reward"))
    }

    @Test func explicitSeedsLimitAndFixTheEpisodes() throws {
        let seeding = RolloutSeeding(explicitEnvSeeds: [5, 6], explicitAgentSeeds: [7, 8])
        let result = try run(workers: 2, seeding: seeding)
        #expect(result.episodes.map(\.envSeed) == [5, 6])
        #expect(result.episodes.map(\.agentSeed) == [7, 8])
        // the interaction loop with the same seeds replays the same episodes
        let runner = RolloutRunner(settings: RolloutSettings(maxEpisodeSteps: 15, deterministic: false))
        let (env, agent) = try runner.makeEnvAndAgent(env: walk, wrappers: [], agent: random)
        let replay = try RolloutLoop.runInteractionLoop(
            env: env, agent: agent, nEpisodes: 5, envSeeds: [5, 6], agentSeeds: [7, 8], deterministic: false)
        #expect(replay == result.episodes)
        #expect(throws: MazeError.self) {
            try RolloutSeeding(explicitEnvSeeds: [1], explicitAgentSeeds: [1, 2]).episodeSeeds(nEpisodes: 3)
        }
    }

    @Test func trajectoriesAndEventLogsAreRecorded() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "maze-rollout-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = CollectingWriter()
        let settings = RolloutSettings(
            nEpisodes: 3, maxEpisodeSteps: 10, deterministic: false, recordTrajectory: true, recordEventLogs: true,
            outputDirectory: directory, trajectoryWriter: writer)
        let result = try RolloutRunner(settings: settings).runWith(env: walk, agent: random)
        let records = writer.records
        #expect(records.map(\.episodeIndex) == [0, 1, 2])
        #expect(records.map(\.steps.count) == result.episodes.map(\.stepCount))
        #expect(records.map { $0.steps.reduce(0) { $0 + $1.reward } } == result.episodes.map(\.totalReward))
        #expect(records.allSatisfy { $0.steps.last?.terminated == true || $0.steps.last?.truncated == true })

        let log = try String(
            contentsOf: directory.appendingPathComponent("event_logs/worker_0/WalkEvents.moved.tsv"), encoding: .utf8)
        let lines = log.split(separator: "\n")
        #expect(lines.first == "episode_id\tstep\tposition")
        #expect(lines.count == 1 + result.episodes.reduce(0) { $0 + $1.stepCount })
        #expect(throws: MazeError.self) {
            try RolloutRunner(settings: RolloutSettings(nEpisodes: 1, recordTrajectory: true)).runWith(
                env: walk, agent: random)
        }
    }
}
