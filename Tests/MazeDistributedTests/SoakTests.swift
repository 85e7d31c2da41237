import Foundation
import MazeTestSupport
import Testing

/// The learner under mixed hostile load while it trains: `maze learner`, `maze actor --workers 2` and a hostile
/// peer (tools/hostile_peer.py `mixed`) sending truncated and undecodable requests, undecodable batches,
/// undecodable weights-socket frames and prefix subscriptions, 100 of each a second, for MAZE_SOAK_SECONDS.
/// The learner's resident memory stays within `rssBound`, the experiment reaches an evaluation return of
/// MAZE_SOAK_TARGET (default 150) on CartPole, and every hostile frame is counted under its reason.
///
///     MAZE_SOAK_SECONDS=600 OPENBLAS_NUM_THREADS=1 swift test -c release --filter Soak
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_SOAK_SECONDS"] != nil), .serialized)
struct SoakTests {
    /// The learner's resident memory must stay below this, in MiB.
    static let rssBound = 512

    @Test func learnerSoakUnderMixedHostileLoad() throws {
        let environment = ProcessInfo.processInfo.environment
        let seconds = try #require(Double(environment["MAZE_SOAK_SECONDS"] ?? ""))
        let target = Double(environment["MAZE_SOAK_TARGET"] ?? "") ?? 150
        try PythonInterop.requireModules(["zmq", "msgpack"])
        let metricsPort = Int.random(in: 20_000..<32_000)
        let cluster = try TestCluster(workers: 2, learnerArguments: ["--metrics", "127.0.0.1:\(metricsPort)"])
        let submitted = try cluster.submit([
            "env=gym_env", "env.name=CartPole-v1", "model=vector_obs", "critic=template_state",
            "model.model_builder.modality_config.feature.block_params.hidden_units=[64,64]",
            "algorithm=ppo", "algorithm.n_epochs=0", "algorithm.patience=0", "algorithm.lr=0.001",
            "algorithm.gamma=0.99",
            "algorithm.entropy_coef=0", "algorithm.max_grad_norm=0.5", "algorithm.n_rollout_steps=64",
            "algorithm.epoch_length=4", "algorithm.gae_lambda=0.95", "algorithm.batch_size=128",
            "algorithm.n_optimization_epochs=10", "+algorithm.actors_batch_size=2",
        ])
        #expect(submitted.succeeded, "\(submitted.errorOutput)")
        let id = submitted.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = cluster.learner.processIdentifier
        let startRSS = LearnerHardeningTests.residentMebibytes(pid)

        let countsFile = cluster.directory.appendingPathComponent("hostile-counts.json")
        let hostile = try PythonInterop.start(
            script: "hostile_peer.py", arguments: ["mixed", cluster.base, String(seconds), "100", countsFile.path])
        defer { hostile.kill() }
        var maxRSS = startRSS
        var best = 0.0
        var epoch: UInt64 = 0
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            Thread.sleep(forTimeInterval: 1)
            maxRSS = max(maxRSS, LearnerHardeningTests.residentMebibytes(pid))
            if let status = try cluster.status(id) {
                best = max(best, status.best ?? 0)
                epoch = status.epoch
                #expect(status.state == "running", "\(status.state)")
            }
        }
        #expect(
            eventually(seconds: 120) { FileManager.default.fileExists(atPath: countsFile.path) || !hostile.isRunning })
        let counts = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: countsFile)) as? [String: Int])
        var metrics = ""
        let counted = try eventually(seconds: 60) {
            metrics = try TestCluster.scrape(metricsPort)
            return counts.allSatisfy { reason, number in Self.rejected(reason, in: metrics) == number }
        }
        #expect(
            counted,
            "sent \(counts), counted \(metrics.split(separator: "\n").filter { $0.hasPrefix("maze_rejected") })")
        #expect(cluster.learner.isRunning)
        #expect(maxRSS < Self.rssBound, "learner RSS reached \(maxRSS) MiB")
        #expect(best >= target, "best return \(best) after \(epoch) epochs")
        print(
            "soak \(Int(seconds)) s: learner RSS \(startRSS) MiB at start, at most \(maxRSS) MiB; \(id) epoch \(epoch), best "
                + "return \(best); hostile frames \(counts.values.reduce(0, +)) sent \(counts), all counted: \(counted)"
        )
    }

    private static func rejected(_ reason: String, in metrics: String) -> Int {
        LearnerHardeningTests.value("maze_rejected_frames_total{reason=\"\(reason)\"}", in: metrics)
    }
}
