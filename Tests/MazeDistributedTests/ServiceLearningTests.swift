import Foundation
import MazeDistributed
import MazeService
import MazeTestSupport
import MazeWire
import MazeZMQ
import Testing

/// End to end through the real executables (release build): `maze learner` and `maze actor --workers N` on
/// ipc://, experiments queued with `maze submit` and watched with `maze status` until the evaluation mean
/// reaches 475 on CartPole-v1.
///
///     MAZE_LEARNING_TESTS=1 swift test -c release --filter ServiceLearning
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"), .serialized)
struct ServiceLearningTests {
    /// Shared by every run: a 64×64 vector-observation model, evaluation every few updates, no early stopping.
    static let common = [
        "env=gym_env", "env.name=CartPole-v1", "model=vector_obs", "critic=template_state",
        "model.model_builder.modality_config.feature.block_params.hidden_units=[64,64]",
        "algorithm.n_epochs=0", "algorithm.patience=0", "algorithm.lr=0.001", "algorithm.gamma=0.99",
        "algorithm.entropy_coef=0", "algorithm.max_grad_norm=0.5",
    ]
    static let impala =
        common + [
            "algorithm=impala", "algorithm.n_rollout_steps=32", "algorithm.epoch_length=8",
            "algorithm.actors_batch_size=4",
            "algorithm.num_actors=4",
        ]

    @Test func impalaSolvesCartPoleThroughTheService() throws {
        try Self.solveAndCountBatches(Self.impala, onPolicy: false)
    }

    @Test func ppoSolvesCartPoleThroughTheService() throws {
        try Self.solveAndCountBatches(
            Self.common + [
                "algorithm=ppo", "algorithm.n_rollout_steps=64", "algorithm.epoch_length=4",
                "algorithm.gae_lambda=0.95",
                "algorithm.batch_size=128", "algorithm.n_optimization_epochs=10", "+algorithm.actors_batch_size=4",
            ], onPolicy: true)
    }

    /// Solves with 4 workers, then checks that the learner received exactly the batches the workers sent;
    /// `onPolicy` (PPO) also checks that every batch trained on was of the learner's current version.
    private static func solveAndCountBatches(_ overrides: [String], onPolicy: Bool) throws {
        let metricsPort = Int.random(in: 20_000..<60_000)
        let cluster = try TestCluster(workers: 4, learnerArguments: ["--metrics", "127.0.0.1:\(metricsPort)"])
        let submitted = try cluster.submit(overrides)
        #expect(submitted.succeeded, "\(submitted.errorOutput)")
        let id = submitted.output.trimmingCharacters(in: .whitespacesAndNewlines)

        #expect(try cluster.waitForBest(475, of: id) >= 475)
        let training = try TestCluster.scrape(metricsPort)
        #expect(Self.value("maze_learner_updates_total", in: training) > 0)
        if onPolicy { #expect(Self.value("maze_policy_lag_sum", in: training) == 0) }

        let cancelled = try TestCluster.maze(["cancel", id, "--learner", cluster.base, "--insecure"])
        #expect(cancelled.succeeded, "\(cancelled.errorOutput)")
        // Idle workers keep sending heartbeats with their totals; give them time to report the last batches.
        Thread.sleep(forTimeInterval: 3)
        let metrics = try TestCluster.scrape(metricsPort)
        let received = Self.total("maze_batches_received_total", in: metrics)
        #expect(received > 0)
        #expect(received == Self.total("maze_batches_reported_total", in: metrics))
    }

    /// 10,000 malformed, truncated, oversized and wrong-type frames to each of the daemon's three sockets while
    /// it trains IMPALA: every one shows up in `maze_rejected_frames_total` under its reason, and training goes on.
    @Test func hostileFramesToEverySocketAreCountedWhileTraining() throws {
        let metricsPort = Int.random(in: 20_000..<60_000)
        let frameLimit = 64 << 10
        let cluster = try TestCluster(
            workers: 2, learnerArguments: ["--metrics", "127.0.0.1:\(metricsPort)", "--max-frame-mib", "0.0625"])
        let id = try cluster.submit(Self.impala).output.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try Self.waitForEpoch(above: 1, of: id, in: cluster)
        let baseline = try TestCluster.scrape(metricsPort)

        let endpoints = try ServiceEndpoints(base: cluster.base)
        let context = try ZMQContext()
        let perKind = 2_500
        let policyUpdate = try WireMessage.policyUpdate(
            PolicyUpdate(experimentID: id, version: 1, weights: try CountingAlgorithm.weights(consumed: 1), stop: false)
        ).zmqBytes()
        let attacks: [(SocketType, String, HostileFrames)] = [
            (
                .push, endpoints.trajectories,
                HostileFrames(
                    valid: try WireMessage.trajectoryBatch(
                        SyntheticPolicy.batch(
                            RolloutIdentity(experimentID: id, actorID: "attacker", policyVersion: 0))
                    ).zmqBytes(),
                    wrongType: try WireMessage.heartbeat(Heartbeat(senderID: "attacker")).zmqBytes(),
                    frameLimit: frameLimit)
            ),
            (
                .dealer, endpoints.control,
                HostileFrames(
                    valid: try WireMessage.statusRequest(StatusRequest()).zmqBytes(), wrongType: policyUpdate,
                    frameLimit: frameLimit)
            ),
            // The weights socket takes no messages at all; its decode limit is half its hard limit
            // (`WeightsPublisher.maxInboundBytes`, 1 KiB: a peer sending more is disconnected by libzmq, uncounted).
            (
                .xsub, endpoints.weights,
                HostileFrames(
                    valid: try WireMessage.heartbeat(Heartbeat(senderID: "attacker")).zmqBytes(),
                    wrongType: try WireMessage.statusRequest(StatusRequest()).zmqBytes(),
                    frameLimit: 512)
            ),
        ]
        var sockets: [ZMQSocket] = []
        for (type, endpoint, frames) in attacks {
            let socket = try ZMQSocket(type, in: context)
            // Blocking sends, bounded in time; an XSUB drops what exceeds its high-water mark, so it has none.
            try socket.set(.sendTimeout, .seconds(60))
            if type == .xsub { try socket.set(.sendHighWaterMark, 0) }
            try socket.connect(endpoint)
            try frames.send(perKind, through: socket)
            sockets.append(socket)  // open until every frame is delivered
        }

        var counted: [String: Double] = [:]
        let deadline = Date().addingTimeInterval(120)
        repeat {
            Thread.sleep(forTimeInterval: 1)
            let metrics = try TestCluster.scrape(metricsPort)
            for kind in HostileFrames.Kind.allCases {
                let reason = kind.reason.rawValue
                counted[reason] =
                    Self.value("maze_rejected_frames_total", reason: reason, in: metrics)
                    - Self.value("maze_rejected_frames_total", reason: reason, in: baseline)
            }
        } while Date() < deadline && counted.values.contains { $0 < Double(3 * perKind) }
        for kind in HostileFrames.Kind.allCases {
            #expect(counted[kind.reason.rawValue] == Double(3 * perKind), "\(kind.reason): \(counted)")
        }
        let status = try #require(try cluster.status(id))
        #expect(try Self.waitForEpoch(above: status.epoch, of: id, in: cluster) > status.epoch)
        #expect(cluster.learner.isRunning)
    }

    /// The value of the unlabelled sample `name`, or -1 when it is missing.
    private static func value(_ name: String, in text: String) -> Double {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { $0.split(separator: " ").last }
            .flatMap { Double($0) } ?? -1
    }

    /// The value of metric `name` with label `reason`, or 0 when it is missing.
    private static func value(_ name: String, reason: String, in text: String) -> Double {
        let prefix = "\(name){reason=\"\(reason)\"} "
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
            ?? 0
    }

    /// The sum over all label sets of metric `name`.
    private static func total(_ name: String, in text: String) -> Double {
        text.split(separator: "\n").filter { $0.hasPrefix(name + "{") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }

    /// SIGTERM checkpoints and exits 0; a restart needs `--resume`; with it, and again after `kill -9`, the running
    /// experiment continues from its checkpoint while the same actor processes reconnect by themselves.
    @Test func learnerRestartsResumeTheRunningExperiment() throws {
        let cluster = try TestCluster(workers: 2, learnerArguments: ["--checkpoint-every", "20"])
        let submitted = try cluster.submit(Self.impala)
        let id = submitted.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let reached = try Self.waitForEpoch(above: 3, of: id, in: cluster)

        kill(cluster.learner.processIdentifier, SIGTERM)
        let stopped = try cluster.learner.waitForExit(seconds: 30)
        #expect(stopped.status == 0, "\(stopped.errorOutput)")
        let refused = try cluster.startLearner([]).waitForExit(seconds: 30)
        #expect(refused.status != 0)
        #expect(refused.errorOutput.contains("--resume"))

        try cluster.replaceLearner(["--resume"])
        let resumed = try Self.waitForEpoch(above: reached, of: id, in: cluster)
        kill(cluster.learner.processIdentifier, SIGKILL)
        _ = try? cluster.learner.waitForExit(seconds: 10)
        try cluster.replaceLearner(["--resume"])
        // After kill -9 at most one checkpoint interval (20 updates, under 3 epochs) is lost.
        #expect(try Self.waitForEpoch(above: resumed, of: id, in: cluster) > resumed)
        #expect(cluster.actors.isRunning)
    }

    /// `kill -9` of a worker every two seconds: the supervisor restarts it and IMPALA still solves CartPole.
    @Test func impalaSolvesCartPoleWhileWorkersAreKilled() throws {
        let cluster = try TestCluster(workers: 4)
        let id = try cluster.submit(Self.impala).output.trimmingCharacters(in: .whitespacesAndNewlines)
        var (best, kills, epochs) = (0.0, 0, [UInt64]())
        let deadline = Date().addingTimeInterval(600)
        // Keep killing for a while even if the target comes early: training must go on through the restarts.
        while Date() < deadline, best < 475 || kills < 6 {
            Thread.sleep(forTimeInterval: 2)
            if let worker = cluster.workers.randomElement() {
                kill(worker, SIGKILL)
                kills += 1
            }
            guard let status = try cluster.status(id) else { continue }
            best = status.best ?? best
            epochs.append(status.epoch)
        }
        #expect(best >= 475)
        #expect(kills >= 6)
        // Still training at the end: the last three polls saw the epoch count grow.
        #expect(epochs.count >= 3 && epochs[epochs.count - 1] > epochs[epochs.count - 3])
        // The last killed worker comes back after its back-off (at most 10 s).
        let restartDeadline = Date().addingTimeInterval(15)
        while Date() < restartDeadline, cluster.workers.count < 4 { Thread.sleep(forTimeInterval: 0.2) }
        #expect(cluster.workers.count == 4)
    }

    /// Polls `maze status` until experiment `id` is running past `epoch`; returns the epoch seen.
    private static func waitForEpoch(above epoch: UInt64, of id: String, in cluster: TestCluster) throws -> UInt64 {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 1)
            if let status = try cluster.status(id), status.state == "running", status.epoch > epoch {
                return status.epoch
            }
        }
        Issue.record("experiment \(id) did not pass epoch \(epoch) within 120 s")
        return epoch
    }
}
