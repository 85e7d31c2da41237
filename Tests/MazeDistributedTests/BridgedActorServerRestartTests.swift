import Foundation
import MazeReporting
import MazeTestSupport
import Testing

/// `kill -9` of the Gymnasium env server inside a running `maze actor` worker: the worker starts a new server,
/// the episodes the dead one was running end early (truncated) and reach the learner as such, and training goes on.
///
/// The env (`bridge_test_envs:fixed_length`) pays 1 per step and ends every episode after exactly 20 steps, so a
/// training epoch whose episodes return less than 20 on average holds the cut episodes.
@Suite(.serialized)
struct BridgedActorServerRestartTests {
    static let pythonEnvs = PythonInterop.repositoryRoot
        .appendingPathComponent("Tests/MazeGymBridgeTests/PythonEnvs").path
    static let episodeLength = 20.0

    @Test func killedEnvServerIsRestartedAndTrainingGoesOn() throws {
        try PythonInterop.requireModules(["gymnasium", "maze_gym_bridge"])
        let servers = try Self.trainKillAndResume()
        #expect(!servers.isEmpty)
        // The cluster is gone: every env server (the worker's and the learner's evaluation's) exits with its parent.
        let deadline = Date().addingTimeInterval(10)
        while servers.contains(where: ProcessTable.isAlive), Date() < deadline { usleep(50_000) }
        for pid in servers where ProcessTable.isAlive(pid) {
            Issue.record("env server \(pid) outlived its parent")
            kill(pid, SIGKILL)
        }
    }

    /// Runs the cluster, kills the worker's env server and checks that training goes on; returns the env servers
    /// seen (the cluster is stopped when it returns).
    static func trainKillAndResume() throws -> Set<Int32> {
        let metricsPort = Int.random(in: 20_000..<60_000)
        let cluster = try TestCluster(workers: 1, learnerArguments: ["--metrics", "127.0.0.1:\(metricsPort)"])
        let submitted = try cluster.submit([
            "env._target_=bridge_test_envs:fixed_length", "~env.name", "+env.length=\(Int(Self.episodeLength))",
            "+env.python_path=\(Self.pythonEnvs)", "+env.n_servers=1", "model=vector_obs", "critic=template_state",
            "model.model_builder.modality_config.feature.block_params.hidden_units=[16]", "algorithm=impala",
            "algorithm.n_epochs=0", "algorithm.patience=0", "algorithm.n_rollout_steps=8", "algorithm.epoch_length=4",
            "algorithm.actors_batch_size=1", "algorithm.num_actors=1", "algorithm.rollout_evaluator.n_episodes=1",
        ])
        #expect(submitted.succeeded, "\(submitted.errorOutput)")
        let id = submitted.output.trimmingCharacters(in: .whitespacesAndNewlines)

        // Training runs and the worker's env server is up.
        var worker: Int32?
        var server: Int32?
        try Self.waitUntil(seconds: 120) {
            worker = cluster.workers.first
            server = worker.flatMap { Self.envServers(of: $0).first }
            return try Self.updates(metricsPort) > 0 && server != nil
        }
        let workerPID = try #require(worker)
        let serverPID = try #require(server)
        kill(serverPID, SIGKILL)
        let updatesAtKill = try Self.updates(metricsPort)

        // A new server under the same worker, and the learner keeps training on its batches.
        try Self.waitUntil(seconds: 120) {
            let servers = Self.envServers(of: workerPID)
            let updates = try Self.updates(metricsPort)
            return !servers.isEmpty && !servers.contains(serverPID) && updates >= updatesAtKill + 12
        }
        #expect(cluster.workers == [workerPID], "the worker went on with a new server instead of failing")
        #expect(try #require(try cluster.status(id)).state == "running")

        // The cut episodes ended (truncated, short of 20 steps) and reached the learner's training statistics.
        let stats = cluster.directory.appendingPathComponent("outputs/\(id)/stats/stats.jsonl")
        var returns: [Double] = []
        try Self.waitUntil(seconds: 60) {
            let log = try? ScalarLog(contentsOf: stats)
            returns = (log?.series("train/BaseEnvEvents/reward/mean") ?? []).map(\.value)
            return returns.contains { $0 < Self.episodeLength }
        }
        #expect(returns.allSatisfy { $0 <= Self.episodeLength })
        return Set(Self.envServers(of: workerPID) + Self.envServers(of: cluster.learner.processIdentifier))
    }

    /// Polls `condition` every 0.5 s; records an issue if it does not hold within `seconds`.
    static func waitUntil(seconds: Double, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.5)
        }
        Issue.record("not within \(seconds) s")
    }

    /// The `python -m maze_gym_bridge` processes `worker` started.
    static func envServers(of worker: Int32) -> [Int32] {
        ProcessTable.children(of: worker).filter { ProcessTable.commandLine(of: $0).contains("maze_gym_bridge") }
    }

    /// `maze_learner_updates_total` from the learner's metrics.
    static func updates(_ port: Int) throws -> Double {
        let prefix = "maze_learner_updates_total "
        let line = try TestCluster.scrape(port).split(separator: "\n").first { $0.hasPrefix(prefix) }
        return line.flatMap { Double($0.dropFirst(prefix.count)) } ?? 0
    }
}
