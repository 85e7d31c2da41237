import Foundation
import MazeTestSupport
import Testing

/// End to end through the real executables (release build): `maze learner` and `maze actor --workers 4` on
/// ipc://, an experiment queued with `maze submit` and watched with `maze status` until the evaluation mean
/// reaches 475 on CartPole-v1; then the batch counts of learner and actors must agree.
///
///     MAZE_LEARNING_TESTS=1 swift test -c release --filter ServiceLearning
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"), .serialized)
struct ServiceLearningTests {
    /// Shared by both runs: a 64×64 vector-observation model, evaluation every few updates, no early stopping.
    private static let common = [
        "env=gym_env", "env.name=CartPole-v1", "model=vector_obs", "critic=template_state",
        "model.model_builder.modality_config.feature.block_params.hidden_units=[64,64]",
        "algorithm.n_epochs=0", "algorithm.patience=0", "algorithm.lr=0.001", "algorithm.gamma=0.99",
        "algorithm.entropy_coef=0", "algorithm.max_grad_norm=0.5",
    ]

    @Test func impalaSolvesCartPoleThroughTheService() throws {
        try Self.solve(Self.common + [
            "algorithm=impala", "algorithm.n_rollout_steps=32", "algorithm.epoch_length=8",
            "algorithm.actors_batch_size=4", "algorithm.num_actors=4",
        ])
    }

    @Test func ppoSolvesCartPoleThroughTheService() throws {
        try Self.solve(Self.common + [
            "algorithm=ppo", "algorithm.n_rollout_steps=64", "algorithm.epoch_length=4", "algorithm.gae_lambda=0.95",
            "algorithm.batch_size=128", "algorithm.n_optimization_epochs=10", "+algorithm.actors_batch_size=4",
        ])
    }

    /// SIGTERM checkpoints and exits 0; a restart needs `--resume`; with it, and again after `kill -9`, the running
    /// experiment continues from its checkpoint while the same actor processes reconnect by themselves.
    @Test func learnerRestartsResumeTheRunningExperiment() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("maze-restart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = "ipc://\(directory.path)/sockets"
        let outputs = directory.appendingPathComponent("outputs").path
        func startLearner(_ extra: [String]) throws -> ChildProcess {
            try ChildProcess(executable: Self.executable, arguments: [
                "learner", "--bind", base, "--insecure", "--outputs", outputs, "--checkpoint-every", "20",
            ] + extra, environment: ["OPENBLAS_NUM_THREADS": "1"])
        }
        var learner = try startLearner([])
        defer { learner.kill() }
        let actors = try ChildProcess(
            executable: Self.executable, arguments: ["actor", "--connect", base, "--insecure", "--workers", "2", "--envs", "2"])
        defer {
            kill(actors.processIdentifier, SIGTERM)
            _ = try? actors.waitForExit(seconds: 15)
        }
        Thread.sleep(forTimeInterval: 1)
        let submitted = try Self.maze(["submit", "-cn", "conf_train"] + Self.common + [
            "algorithm=impala", "algorithm.n_rollout_steps=32", "algorithm.epoch_length=8", "algorithm.actors_batch_size=2",
            "--learner", base, "--insecure",
        ])
        let id = submitted.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let reached = try Self.waitForEpoch(above: 3, of: id, at: base)

        kill(learner.processIdentifier, SIGTERM)
        let stopped = try learner.waitForExit(seconds: 30)
        #expect(stopped.status == 0, "\(stopped.errorOutput)")
        let refused = try startLearner([]).waitForExit(seconds: 30)
        #expect(refused.status != 0)
        #expect(refused.errorOutput.contains("--resume"))

        learner = try startLearner(["--resume"])
        let resumed = try Self.waitForEpoch(above: reached, of: id, at: base)
        kill(learner.processIdentifier, SIGKILL)
        _ = try? learner.waitForExit(seconds: 10)
        learner = try startLearner(["--resume"])
        // After kill -9 at most one checkpoint interval (20 updates, under 3 epochs) is lost.
        #expect(try Self.waitForEpoch(above: resumed, of: id, at: base) > resumed)
        #expect(actors.isRunning)
    }

    /// `kill -9` of a worker every two seconds: the supervisor restarts it and IMPALA still solves CartPole.
    @Test func impalaSolvesCartPoleWhileWorkersAreKilled() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("maze-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = "ipc://\(directory.path)/sockets"
        let learner = try ChildProcess(executable: Self.executable, arguments: [
            "learner", "--bind", base, "--insecure", "--outputs", directory.appendingPathComponent("outputs").path,
        ], environment: ["OPENBLAS_NUM_THREADS": "1"])
        defer { learner.kill() }
        let actors = try ChildProcess(
            executable: Self.executable, arguments: ["actor", "--connect", base, "--insecure", "--workers", "4", "--envs", "2"])
        defer {
            kill(actors.processIdentifier, SIGTERM)
            _ = try? actors.waitForExit(seconds: 15)
        }
        Thread.sleep(forTimeInterval: 1)
        let submitted = try Self.maze(["submit", "-cn", "conf_train"] + Self.common + [
            "algorithm=impala", "algorithm.n_rollout_steps=32", "algorithm.epoch_length=8", "algorithm.actors_batch_size=4",
            "--learner", base, "--insecure",
        ])
        let id = submitted.output.trimmingCharacters(in: .whitespacesAndNewlines)
        var (best, kills, epochs) = (0.0, 0, [UInt64]())
        let deadline = Date().addingTimeInterval(600)
        // Keep killing for a while even if the target comes early: training must go on through the restarts.
        while Date() < deadline, best < 475 || kills < 6 {
            Thread.sleep(forTimeInterval: 2)
            if let worker = Self.children(of: actors.processIdentifier).randomElement() {
                kill(worker, SIGKILL)
                kills += 1
            }
            let status = try Self.maze(["status", "--learner", base, "--insecure"])
            guard let row = status.output.split(separator: "\n").first(where: { $0.hasPrefix(id) }) else { continue }
            let cells = row.split(separator: " ")
            best = Double(cells[3]) ?? best
            if let epoch = UInt64(cells[2]) { epochs.append(epoch) }
        }
        #expect(best >= 475)
        #expect(kills >= 6)
        // Still training at the end: the last three polls saw the epoch count grow.
        #expect(epochs.count >= 3 && epochs[epochs.count - 1] > epochs[epochs.count - 3])
        // The last killed worker comes back after its back-off (at most 10 s).
        let restartDeadline = Date().addingTimeInterval(15)
        while Date() < restartDeadline, Self.children(of: actors.processIdentifier).count < 4 { Thread.sleep(forTimeInterval: 0.2) }
        #expect(Self.children(of: actors.processIdentifier).count == 4)
    }

    /// The child processes of `parent`, found by the parent id in each `/proc/PID/stat` (Linux).
    private static func children(of parent: Int32) -> [Int32] {
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return processes.compactMap { name -> Int32? in
            guard let pid = Int32(name),
                let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                let end = stat.lastIndex(of: ")")
            else { return nil }
            // After "PID (command)": the state, then the parent's id; zombies ("Z") are already dead.
            let fields = stat[stat.index(after: end)...].split(separator: " ")
            guard fields.count > 1, fields[0] != "Z", Int32(fields[1]) == parent else { return nil }
            return pid
        }
    }

    /// Polls `maze status` until experiment `id` is running past `epoch`; returns the epoch seen.
    private static func waitForEpoch(above epoch: UInt64, of id: String, at base: String) throws -> UInt64 {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 1)
            let status = try maze(["status", "--learner", base, "--insecure"])
            guard let row = status.output.split(separator: "\n").first(where: { $0.hasPrefix(id) }) else { continue }
            let cells = row.split(separator: " ")
            if cells[1] == "running", let seen = UInt64(cells[2]), seen > epoch { return seen }
        }
        Issue.record("experiment \(id) did not pass epoch \(epoch) within 120 s")
        return epoch
    }

    private static var executable: String {
        #if DEBUG
        let configuration = "debug"
        #else
        let configuration = "release"
        #endif
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/\(configuration)/maze").path
    }

    private static func maze(_ arguments: [String], seconds: Double = 30) throws -> ChildProcess.Exit {
        try ChildProcess(executable: executable, arguments: arguments).waitForExit(seconds: seconds)
    }

    private static func solve(_ overrides: [String]) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("maze-service-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = "ipc://\(directory.path)/sockets"
        let metricsPort = Int.random(in: 20_000..<60_000)
        let environment = ["OPENBLAS_NUM_THREADS": "1"]
        let learner = try ChildProcess(executable: Self.executable, arguments: [
            "learner", "--bind", base, "--insecure", "--outputs", directory.appendingPathComponent("outputs").path,
            "--metrics", "127.0.0.1:\(metricsPort)",
        ], environment: environment)
        defer { learner.kill() }
        let actors = try ChildProcess(
            executable: executable, arguments: ["actor", "--connect", base, "--insecure", "--workers", "4", "--envs", "2"],
            environment: environment)
        defer {
            // SIGTERM lets the supervisor stop its workers; SIGKILL (deinit) would orphan them.
            kill(actors.processIdentifier, SIGTERM)
            _ = try? actors.waitForExit(seconds: 15)
        }
        Thread.sleep(forTimeInterval: 1)

        let submitted = try maze(["submit", "-cn", "conf_train"] + overrides + ["--learner", base, "--insecure"])
        #expect(submitted.succeeded, "\(submitted.errorOutput)")
        let id = submitted.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.hasPrefix("exp-"))

        var best: Double?
        let deadline = Date().addingTimeInterval(900)
        while Date() < deadline, (best ?? 0) < 475 {
            Thread.sleep(forTimeInterval: 2)
            let status = try maze(["status", "--learner", base, "--insecure"])
            let row = try #require(status.output.split(separator: "\n").first { $0.hasPrefix(id) }, "\(status.output)")
            let cells = row.split(separator: " ")
            best = Double(cells[3])
            #expect(cells[1] == "running", "\(row)")
            if cells[1] != "running" { break }
        }
        #expect((best ?? 0) >= 475)

        let cancelled = try maze(["cancel", id, "--learner", base, "--insecure"])
        #expect(cancelled.succeeded, "\(cancelled.errorOutput)")
        // Idle workers keep sending heartbeats with their totals; give them time to report the last batches.
        Thread.sleep(forTimeInterval: 3)
        let metrics = try Self.scrape(port: metricsPort)
        let received = Self.total("maze_batches_received_total", in: metrics)
        let reported = Self.total("maze_batches_reported_total", in: metrics)
        #expect(received > 0)
        #expect(received == reported)
    }

    private static func scrape(port: Int) throws -> String {
        try ChildProcess(executable: "/usr/bin/curl", arguments: ["-s", "http://127.0.0.1:\(port)/metrics"])
            .waitForExit(seconds: 10).output
    }

    /// The sum over all label sets of metric `name`.
    private static func total(_ name: String, in text: String) -> Double {
        text.split(separator: "\n").filter { $0.hasPrefix(name + "{") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }
}
