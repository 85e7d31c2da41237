import Foundation
import MazeDistributed
import MazeSystem
import MazeTestSupport
import MazeWire
import MazeZMQ
import Testing

@testable import MazeService

/// The learner's control plane against a real `maze learner` process (issue 14): submissions that used to
/// trap or wedge it are refused by name while it keeps serving, failed builds are not retried by `--resume`,
/// a second learner cannot share its folders, keys have roles, and worker ids cannot be hijacked.
@Suite("Learner hardening", .serialized)
struct LearnerHardeningTests {
    /// A `maze learner --insecure` on ipc:// in a fresh folder.
    final class Learner {
        let directory: TemporaryDirectory
        let base: String
        let outputs: URL
        let process: ChildProcess

        init(directory: TemporaryDirectory? = nil, extra: [String] = []) throws {
            self.directory = try directory ?? TemporaryDirectory()
            base = "ipc://\(self.directory.path)/sockets"
            outputs = self.directory.url.appendingPathComponent("outputs")
            process = try ChildProcess(
                executable: TestCluster.executable,
                arguments: ["learner", "--bind", base, "--insecure", "--outputs", outputs.path] + extra)
            _ = try eventually(seconds: 30) { try client().status().count >= 0 }
        }

        deinit {
            kill(process.processIdentifier, SIGTERM)
            _ = try? process.waitForExit(seconds: 30)
        }

        func client(timeout: Duration = .seconds(2)) throws -> ControlClient {
            try ControlClient(
                endpoints: ServiceEndpoints(base: base), security: .insecure, timeout: timeout, in: ZMQContext())
        }

        /// `maze submit -cn conf_train OVERRIDES` against this learner.
        func submit(_ overrides: [String]) throws -> ChildProcess.Exit {
            try TestCluster.maze(["submit", "-cn", "conf_train"] + overrides + ["--learner", base, "--insecure"])
        }
    }

    /// A small CartPole PPO experiment.
    static let cartpole = ["env=gym_env", "env.name=CartPole-v1", "algorithm=ppo"]

    @Test(
        "Overflowing, oversized and alias-bomb submits are refused by name within a second; the learner keeps serving")
    func hostileSubmitsAreRefused() throws {
        let learner = try Learner()
        let overflow = try learner.submit(
            [
                "env=gym_env", "env.name=CartPole-v1", "algorithm=impala",
                "algorithm.queue_out_of_sync_factor=9223372036854775807",
            ])
        #expect(!overflow.succeeded)
        #expect(overflow.errorOutput.contains("queue_out_of_sync_factor"), "\(overflow.errorOutput)")
        // `maze submit` refuses it before sending; the learner refuses the same config sent raw.
        let composed = try TestCluster.maze([
            "run", "-cn", "conf_train", "--cfg", "job", "env=gym_env", "env.name=CartPole-v1",
            "algorithm=impala", "algorithm.queue_out_of_sync_factor=9223372036854775807",
        ])
        #expect(composed.succeeded, "\(composed.errorOutput)")
        #expect {
            try learner.client().submit(Submit(configYAML: composed.output))
        } throws: { error in
            "\(error)".contains("invalid_config")
                && "\(error)".contains("algorithm.queue_out_of_sync_factor: must lie in")
        }

        let start = Date()
        let huge = try learner.submit(
            Self.cartpole + [
                "model.policy.networks.0.hidden_units=[100000,100000]",
                "model.critic.networks.0.hidden_units=[100000,100000]",
            ])
        let seconds = Date().timeIntervalSince(start)
        #expect(!huge.succeeded)
        #expect(huge.errorOutput.contains("memory budget") && huge.errorOutput.contains("MiB"), "\(huge.errorOutput)")
        // The whole `maze submit` process, composition included, within a second and a half on a loaded machine.
        #expect(seconds < 1.5, "refused after \(seconds) s")

        for overrides in [
            ["algorithm.n_rollout_steps=1000000000"], ["algorithm.rollout_evaluator.n_episodes=100000000"],
        ] {
            let refused = try learner.submit(Self.cartpole + overrides)
            #expect(!refused.succeeded)
            #expect(refused.errorOutput.contains("must lie in"), "\(refused.errorOutput)")
        }

        // 520 bytes that expand to 9^9 nodes.
        var bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for (name, previous) in zip("bcdefghi", "abcdefgh") {
            bomb +=
                "\(name): &\(name) [*\(previous),*\(previous),*\(previous),*\(previous),*\(previous),*\(previous),*\(previous),*\(previous),*\(previous)]\n"
        }
        let client = try learner.client()
        let bombStart = Date()
        #expect(throws: ServiceError.self) { try client.submit(Submit(configYAML: bomb)) }
        #expect(Date().timeIntervalSince(bombStart) < 1)
        #expect(learner.process.isRunning)
        #expect(try client.status().isEmpty)
    }

    @Test("A build that failed, or that a learner died in, is failed with a reason and never run again by --resume")
    func failedBuildsStayFailed() throws {
        let directory = try TemporaryDirectory()
        let outputs = directory.url.appendingPathComponent("outputs")
        // A queue as an older learner left it: exp-0001 was being built when the learner died, exp-0002 is a
        // config an older learner accepted that does not fit the memory budget.
        var queue = ExperimentQueue()
        for overrides in [[], ["model.policy.networks.0.hidden_units=[100000,100000]"]] {
            let composed = try TestCluster.maze(
                ["run", "-cn", "conf_train", "--cfg", "job"] + Self.cartpole + overrides)
            #expect(composed.succeeded, "\(composed.errorOutput)")
            _ = queue.submit(Submit(configYAML: composed.output))
        }
        _ = queue.beginBuildingNext()
        try ExperimentStore(outputsDirectory: outputs).save(queue)

        for _ in 0..<2 {
            let learner = try Learner(directory: directory, extra: ["--resume"])
            let client = try learner.client()
            #expect(try eventually(seconds: 30) { try client.status().map(\.state) == [.failed, .failed] })
            let failures = try client.status().map { $0.failure ?? "" }
            #expect(failures[0].contains("stopped while building"), "\(failures[0])")
            #expect(failures[1].contains("memory budget"), "\(failures[1])")
            #expect(learner.process.isRunning)
        }
    }

    @Test("A second learner on the same --outputs or ipc:// folder is refused with a clear message")
    func secondLearnerIsRefused() throws {
        let first = try Learner()
        let sameOutputs = try TestCluster.maze([
            "learner", "--bind", "ipc://\(first.directory.path)/other", "--insecure", "--resume", "--outputs",
            first.outputs.path,
        ])
        #expect(!sameOutputs.succeeded)
        #expect(sameOutputs.errorOutput.contains("another learner"), "\(sameOutputs.errorOutput)")
        let sameSockets = try TestCluster.maze([
            "learner", "--bind", first.base, "--insecure", "--outputs",
            first.directory.url.appendingPathComponent("other").path,
        ])
        #expect(!sameSockets.succeeded)
        #expect(sameSockets.errorOutput.contains("another learner") && sameSockets.errorOutput.contains("ipc://"))
        #expect(try first.client().status().isEmpty)
    }

    @Test(
        "A worker id registered on one connection cannot be taken over by another; honest workers keep their assignments"
    )
    func workerIDsCannotBeHijacked() throws {
        let learner = try Learner()
        let context = try ZMQContext()
        func dealer() throws -> ZMQSocket {
            let socket = try ZMQSocket(.dealer, in: context)
            try socket.set(.linger, .zero)
            try socket.connect("ipc://\(learner.directory.path)/sockets/control.ipc")
            return socket
        }
        func exchange(_ socket: ZMQSocket, _ message: WireMessage) throws -> WireMessage? {
            try socket.send(try message.zmqBytes())
            guard let reply = try socket.receive(.timeout(.seconds(5))) else { return nil }
            return try reply.withUnsafeBytes { try WireMessage.decode($0) }
        }
        let register = WireMessage.register(
            Register(workerID: "host/actor-0", host: "host", processID: 1, keyFingerprint: ""))
        let honest = try dealer()
        let attacker = try dealer()
        #expect(try exchange(honest, register).map { if case .heartbeat = $0 { true } else { false } } == true)
        guard case .error(let refusal)? = try exchange(attacker, register) else {
            Issue.record("the second Register was not refused")
            return
        }
        #expect(refusal.code == ControlErrorCode.workerIDTaken)
        let heartbeat = WireMessage.heartbeat(Heartbeat(senderID: "host/actor-0", policyVersion: nil))
        guard case .error(let stolen)? = try exchange(attacker, heartbeat) else {
            Issue.record("the attacker's Heartbeat was not refused")
            return
        }
        #expect(stolen.code == ControlErrorCode.notRegistered)
        #expect(try exchange(honest, heartbeat).map { if case .heartbeat = $0 { true } else { false } } == true)

        // The next experiment's assignment goes to the honest connection. `maze submit` (a debug process) can take
        // longer than the learner's 10 s liveness timeout on a loaded machine; an honest worker that was forgotten
        // meanwhile registers again, as `maze actor` does.
        let submitted = try learner.submit(Self.cartpole)
        #expect(submitted.succeeded, "\(submitted.errorOutput)")
        var assigned = false
        let deadline = Date().addingTimeInterval(60)
        while !assigned, Date() < deadline {
            try honest.send(try heartbeat.zmqBytes())
            while let frame = try honest.receive(.timeout(.milliseconds(500))) {
                switch try frame.withUnsafeBytes({ try WireMessage.decode($0) }) {
                case .assignment: assigned = true
                case .error(let refusal) where refusal.code == ControlErrorCode.notRegistered:
                    try honest.send(try register.zmqBytes())
                default: break
                }
            }
        }
        #expect(assigned)
        // The attacker's connection never got one.
        while let frame = try attacker.receive(.timeout(.milliseconds(100))) {
            if case .assignment = try frame.withUnsafeBytes({ try WireMessage.decode($0) }) {
                Issue.record("the attacker's connection received an assignment")
            }
        }
    }

    @Test(
        "maze run applies the same checks: ranges, memory budget, YAML limits, a missing -cd; --checkpoint-every 0 is refused"
    )
    func mazeRunChecks() throws {
        let run = ["run", "-cn", "conf_train", "runner=dev"] + Self.cartpole
        let start = Date()
        let steps = try TestCluster.maze(run + ["algorithm.n_rollout_steps=1000000000"])
        #expect(!steps.succeeded)
        #expect(steps.errorOutput.contains("algorithm.n_rollout_steps: must lie in"), "\(steps.errorOutput)")
        let huge = try TestCluster.maze(run + ["model.policy.networks.0.hidden_units=[100000,100000]"])
        #expect(!huge.succeeded)
        #expect(
            huge.errorOutput.contains("memory budget") && huge.errorOutput.contains("--memory-budget-mib"),
            "\(huge.errorOutput)")
        #expect(Date().timeIntervalSince(start) < 20)
        let deleted = try TestCluster.maze(run + ["~algorithm.lr"])
        #expect(!deleted.succeeded)
        #expect(deleted.errorOutput.contains("algorithm.lr: ~algorithm.lr deletes a setting"), "\(deleted.errorOutput)")

        let directory = try TemporaryDirectory()
        let missing = try TestCluster.maze(run + ["-cd", directory.url.appendingPathComponent("missing").path])
        #expect(!missing.succeeded)
        #expect(missing.errorOutput.contains("no such folder"), "\(missing.errorOutput)")
        var bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for (name, previous) in zip("bcdefghi", "abcdefgh") {
            bomb += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        try Data(bomb.utf8).write(to: directory.url.appendingPathComponent("bomb.yaml"))
        let bombStart = Date()
        let laughs = try TestCluster.maze(["run", "-cd", directory.path, "-cn", "bomb"])
        #expect(!laughs.succeeded)
        #expect(laughs.errorOutput.contains("nodes"), "\(laughs.errorOutput)")
        #expect(Date().timeIntervalSince(bombStart) < 10)

        let every = try TestCluster.maze([
            "learner", "--insecure", "--bind", "ipc://\(directory.path)/s", "--checkpoint-every", "0",
        ])
        #expect(!every.succeeded)
        #expect(every.errorOutput.contains("--checkpoint-every"), "\(every.errorOutput)")
        let workers = try TestCluster.maze([
            "actor", "--insecure", "--connect", "ipc://\(directory.path)/s", "--workers", "100000",
        ])
        #expect(!workers.succeeded)
        #expect(workers.errorOutput.contains("--workers must lie in"), "\(workers.errorOutput)")
    }

    @Test("--insecure --bind tcp://localhost:PORT serves, and clients reach it as localhost")
    func localhostBinds() throws {
        let directory = try TemporaryDirectory()
        let base = "tcp://localhost:\(freeBasePort())"
        let learner = try ChildProcess(
            executable: TestCluster.executable,
            arguments: [
                "learner", "--bind", base, "--insecure", "--outputs",
                directory.url.appendingPathComponent("outputs").path,
            ])
        defer { learner.kill() }
        #expect(
            try eventually(seconds: 30) {
                try TestCluster.maze(["status", "--learner", base, "--insecure"]).succeeded || !learner.isRunning
            })
        #expect(learner.isRunning)
    }

    /// The value of the sample `name` (with its labels) in a metrics page, or -1.
    static func value(_ name: String, in metrics: String) -> Int {
        metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Int($0.dropFirst(name.count + 1)) }
            ?? -1
    }

    /// The resident set size of process `pid` in MiB (Linux: `VmRSS` of /proc/PID/status).
    static func residentMebibytes(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }

    /// Prefix subscriptions: `UnboundedMessageTests.subscriptionFlood`.
    @Test("100,000 fake worker ids are capped, counted and expire")
    func registerFlood() throws {
        try PythonInterop.requireModules(["zmq", "msgpack"])
        let metricsPort = Int.random(in: 20_000..<32_000)
        let learner = try Learner(extra: ["--metrics", "127.0.0.1:\(metricsPort)"])
        let pid = learner.process.processIdentifier
        let before = Self.residentMebibytes(pid)
        let sockets = "ipc://\(learner.directory.path)/sockets"

        let registers = try PythonInterop.start(
            script: "hostile_peer.py", arguments: ["registers", "\(sockets)/control.ipc", "100000"]
        ).waitForExit(seconds: 300)
        #expect(registers.succeeded, "\(registers.errorOutput)")
        let metrics = try TestCluster.scrape(metricsPort)
        // Every Register is answered; at most 4,096 ids are held at once (early ones expire after 10 s silent, so
        // a slow flood gets a few more in), the rest are refused and counted.
        #expect(registers.output.contains("sent 100000, 100000 replies"), "\(registers.output)")
        let connected = Self.value("maze_connected_actors", in: metrics)
        #expect(connected <= 4_096, "\(connected)")
        let refused = Self.value("maze_rejected_frames_total{reason=\"too_many_actors\"}", in: metrics)
        #expect(refused >= 50_000, "\(refused)")
        let start = Date()
        let page = try TestCluster.scrape(metricsPort)
        let scrapeSeconds = Date().timeIntervalSince(start)
        let after = Self.residentMebibytes(pid)
        print(
            "learner RSS: \(before) MiB at start, \(after) MiB after 100k Registers; metrics page "
                + "\(page.utf8.count) bytes in \(scrapeSeconds) s")
        #expect(after - before < 64, "\(before) → \(after) MiB")
        #expect(page.utf8.count < 1 << 20)
        // Silent fake workers expire after the liveness timeout (10 s), and their labels with them.
        #expect(
            try eventually(seconds: 30) {
                try TestCluster.scrape(metricsPort).contains("maze_connected_actors 0")
            })
        #expect(try learner.client().status().isEmpty)
    }
}
