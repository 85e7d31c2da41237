import Foundation
import MazeTestSupport
import MazeZMQ
import Testing

/// Peers that make libzmq hold memory for them, against a real `maze learner` that trains meanwhile (issue 14,
/// item 6): never-finished multipart messages (`RawZMTPPeer`) and prefix subscriptions (an XSUB), both sent from
/// this process, so no Python ZeroMQ binding is needed.
@Suite("Unbounded messages", .serialized)
struct UnboundedMessageTests {
    static let budgetMiB = 384

    /// A PPO CartPole experiment that updates every two batches of its one worker and trains until cancelled.
    static let experiment = [
        "env=gym_env", "env.name=CartPole-v1", "algorithm=ppo", "algorithm.n_rollout_steps=64",
        "algorithm.epoch_length=4", "algorithm.n_optimization_epochs=1", "+algorithm.actors_batch_size=2",
        "algorithm.n_epochs=0", "algorithm.patience=0",
    ]

    /// A learner with `--memory-budget-mib budgetMiB`, one actor worker, and an experiment it has started training.
    private static func trainingCluster(metricsPort: Int) throws -> TestCluster {
        let cluster = try TestCluster(
            workers: 1,
            learnerArguments: ["--metrics", "127.0.0.1:\(metricsPort)", "--memory-budget-mib", "\(budgetMiB)"])
        let submitted = try cluster.submit(experiment)
        #expect(submitted.succeeded, "\(submitted.errorOutput)")
        // Debug builds on a loaded machine take minutes to build the experiment in learner and actor.
        #expect(try eventually(seconds: 600) { try policyVersion(metricsPort) > 0 })
        return cluster
    }

    /// The metrics that say why training stalled: registrations, batches, rejections, credits.
    private static func serviceState(_ port: Int) -> String {
        let metrics = (try? TestCluster.scrape(port)) ?? ""
        return metrics.split(separator: "\n").filter { line in
            ["maze_actors", "maze_samples", "maze_rejected", "maze_batches", "maze_policy", "maze_socket"].contains {
                line.hasPrefix($0)
            }
        }.joined(separator: "; ")
    }

    private static func policyVersion(_ port: Int) throws -> Int {
        LearnerHardeningTests.value("maze_policy_version", in: try TestCluster.scrape(port))
    }

    /// 1.5 GiB of never-finished multipart messages on control and trajectories.
    @Test("Unfinished multipart messages: memory stays near the budget, sockets are rebound, training goes on")
    func unfinishedMultipartMessages() throws {
        let metricsPort = Int.random(in: 20_000..<32_000)
        let cluster = try Self.trainingCluster(metricsPort: metricsPort)
        let pid = cluster.learner.processIdentifier
        let before = LearnerHardeningTests.residentMebibytes(pid)
        // Eight connections, four to control and four to trajectories, each sending 1 MiB frames of one message
        // that never ends; a connection the learner drops is opened again.
        let targets = [("control", "DEALER"), ("trajectories", "PUSH")].flatMap { Array(repeating: $0, count: 4) }
        func connect(_ index: Int) throws -> RawZMTPPeer {
            var peer: RawZMTPPeer?
            _ = try eventually(seconds: 10) {  // refused while the learner rebinds
                let (name, type) = targets[index]
                peer = try? RawZMTPPeer(endpoint: "\(cluster.base)/\(name).ipc", socketType: type)
                return peer != nil
            }
            return try #require(peer)
        }
        var attackers = try targets.indices.map(connect)
        let frame = [UInt8](repeating: 0xc1, count: 1 << 20)
        var peak = before
        var reconnections = 0
        let start = Date()
        for index in 0..<1_536 {
            let attacker = index % attackers.count
            do {
                try attackers[attacker].send(frame, more: true)
            } catch {
                attackers[attacker] = try connect(attacker)
                reconnections += 1
            }
            if index % 16 == 0 { peak = max(peak, LearnerHardeningTests.residentMebibytes(pid)) }
        }
        let attackSeconds = Date().timeIntervalSince(start)
        attackers.removeAll()
        let versionAfterAttack = try Self.policyVersion(metricsPort)
        // What the attack left in libzmq is freed by the next rebind: at once when memory grows, otherwise after the
        // guard's back-off (at most a minute).
        let attackEnd = Date()
        var after = LearnerHardeningTests.residentMebibytes(pid)
        _ = try eventually(seconds: 90) {
            after = LearnerHardeningTests.residentMebibytes(pid)
            return after < Self.budgetMiB
        }
        let recoverySeconds = Date().timeIntervalSince(attackEnd)
        let metrics = try TestCluster.scrape(metricsPort)
        let recycles = LearnerHardeningTests.value(
            "maze_socket_recycles_total{reason=\"resident_memory\"}", in: metrics)
        print(
            "learner RSS: \(before) MiB before, at most \(peak) MiB while 1.5 GiB of unfinished messages arrived in "
                + "\(attackSeconds) s, \(after) MiB \(recoverySeconds) s after; sockets rebound \(recycles) times, attacker "
                + "reconnected "
                + "\(reconnections) times; budget \(Self.budgetMiB) MiB")
        #expect(recycles >= 1)
        // The guard acts between the learner's steps: what arrives during one of them comes on top of the budget. At
        // this rate (~100 MiB/s) that was 360 MiB in a debug build with the machine to itself, and 550 MiB with a load
        // average of 25 on its 2 cores; the bound leaves room for that.
        #expect(peak < Self.budgetMiB + 768, "peak \(peak) MiB")
        #expect(after < Self.budgetMiB, "\(after) MiB after the attack")
        // The worker reconnects, registers again once its dropped connection has been silent for 3 s (its credits
        // start afresh with that registration) and the experiment trains on.
        let resumed = try eventually(seconds: 180) { try Self.policyVersion(metricsPort) > versionAfterAttack + 2 }
        #expect(resumed, "policy version \(versionAfterAttack) did not advance: \(Self.serviceState(metricsPort))")
        #expect(cluster.learner.isRunning)
    }

    /// 200,000 prefix subscriptions of 100 bytes, until the weights socket has been rebound.
    @Test("A subscription flood is counted, libzmq's copies freed by rebinding the weights socket, training goes on")
    func subscriptionFlood() throws {
        let metricsPort = Int.random(in: 20_000..<32_000)
        let cluster = try Self.trainingCluster(metricsPort: metricsPort)
        let pid = cluster.learner.processIdentifier
        let before = LearnerHardeningTests.residentMebibytes(pid)
        let context = try ZMQContext()
        let attacker = try ZMQSocket(.xsub, in: context)
        try attacker.set(.linger, .zero)
        try attacker.set(.sendHighWaterMark, 0)
        try attacker.connect("\(cluster.base)/weights.ipc")
        var peak = before
        for index in 0..<200_000 {
            let prefix = withUnsafeBytes(of: UInt64(index)) { Array($0) } + [UInt8](repeating: 0x41, count: 92)
            _ = try attacker.send([1] + prefix)
            if index % 10_000 == 0 {
                Thread.sleep(forTimeInterval: 0.05)
                peak = max(peak, LearnerHardeningTests.residentMebibytes(pid))
            }
        }
        // The learner reads 16 subscriptions per peer ahead (`ZMQ_RCVHWM`), so a flood is read at the pace of its
        // loop; once 1 MiB of them has been read, the weights socket is rebound.
        var metrics = ""
        #expect(
            try eventually(seconds: 180) {
                // A scrape may time out while the learner's loop works through the flood: try again.
                guard let scraped = try? TestCluster.scrape(metricsPort) else { return false }
                metrics = scraped
                peak = max(peak, LearnerHardeningTests.residentMebibytes(pid))
                return LearnerHardeningTests.value(
                    "maze_socket_recycles_total{reason=\"unwanted_subscriptions\"}", in: metrics) >= 1
            })
        attacker.close()
        let counted = LearnerHardeningTests.value(
            "maze_rejected_frames_total{reason=\"unwanted_subscription\"}", in: metrics)
        let version = try Self.policyVersion(metricsPort)
        let recycles = LearnerHardeningTests.value(
            "maze_socket_recycles_total{reason=\"unwanted_subscriptions\"}", in: metrics)
        let after = LearnerHardeningTests.residentMebibytes(pid)
        print(
            "learner RSS: \(before) MiB before, at most \(peak) MiB during 200k subscriptions, \(after) MiB after; "
                + "weights socket rebound \(recycles) times, \(counted) counted")
        #expect(recycles >= 1)
        #expect(counted > (1 << 20) / 101, "\(counted)")
        #expect(peak - before < 128, "\(before) → \(peak) MiB")
        #expect(try eventually(seconds: 300) { try Self.policyVersion(metricsPort) > version + 2 })
        #expect(cluster.learner.isRunning)
    }
}
