import Foundation
import MazeDistributed
import MazeService
import MazeSystem
import MazeTestSupport
import Testing

/// `maze health` against a real `maze learner` over CURVE-secured TCP on loopback: the probe the deployment
/// manifests run. It must exit 0 while the learner serves and non-zero, with a one-line reason and within its
/// timeout, when the learner is gone or does not admit the probe's key.
@Suite("maze health", .serialized)
struct HealthCommandTests {
    /// Seconds each probe may wait for the learner.
    private static let timeout = 1.0

    @Test(
        "0 while the learner serves (started with --resume on a fresh folder), non-zero for an unknown key and once it stops"
    )
    func healthFollowsTheLearner() throws {
        let directory = try TemporaryDirectory()
        let keys = KeyFiles(directory: directory.url.appendingPathComponent("keys"))
        try keys.generate(name: "learner")
        try keys.generate(name: "probe")
        // A key the learner has never seen, next to the learner's public key.
        let strangerKeys = KeyFiles(directory: directory.url.appendingPathComponent("stranger"))
        try strangerKeys.generate(name: "stranger")
        try FileManager.default.copyItem(
            at: keys.publicKeyURL(name: "learner"), to: strangerKeys.publicKeyURL(name: "learner"))

        let base = "tcp://127.0.0.1:\(freeBasePort())"
        // `--resume` on an outputs folder that does not exist yet starts an empty queue: the manifests always pass it.
        let learner = try ChildProcess(
            executable: TestCluster.executable,
            arguments: [
                "learner", "--bind", base, "--keys", keys.directory.path, "--resume",
                "--outputs", directory.url.appendingPathComponent("outputs/learner").path,
            ])
        let probe = [
            "health", "--learner", base, "--keys", keys.directory.path, "--key-name", "probe", "--timeout",
            String(Self.timeout),
        ]

        var healthy = try Self.health(probe)
        let deadline = Date().addingTimeInterval(30)
        while !healthy.exit.succeeded, learner.isRunning, Date() < deadline {
            healthy = try Self.health(probe)
        }
        #expect(healthy.exit.succeeded, "\(healthy.exit.errorOutput)")
        #expect(healthy.exit.output.contains("0 experiments"))

        let stranger = try Self.health([
            "health", "--learner", base, "--keys", strangerKeys.directory.path, "--timeout", String(Self.timeout),
        ])
        #expect(!stranger.exit.succeeded)
        #expect(stranger.seconds < Self.timeout + 3)

        kill(learner.processIdentifier, SIGTERM)
        #expect(try learner.waitForExit(seconds: 30).succeeded)
        let stopped = try Self.health(probe)
        #expect(!stopped.exit.succeeded)
        #expect(stopped.seconds < Self.timeout + 3)
        let reason = stopped.exit.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(reason.hasPrefix("maze health:") && reason.contains("no answer") && !reason.contains("\n"), "\(reason)")
    }

    @Test("A timeout that is not a positive number of seconds is refused before anything is sent")
    func nonPositiveTimeoutIsRefused() throws {
        let exit = try Self.health(["health", "--insecure", "--learner", "ipc:///nonexistent", "--timeout", "0"]).exit
        #expect(!exit.succeeded)
        #expect(exit.errorOutput.contains("--timeout"))
    }

    /// Runs `maze ARGUMENTS` and measures how long it took.
    private static func health(_ arguments: [String]) throws -> (exit: ChildProcess.Exit, seconds: Double) {
        let start = Date()
        let exit = try TestCluster.maze(arguments, seconds: 30)
        return (exit, Date().timeIntervalSince(start))
    }
}
