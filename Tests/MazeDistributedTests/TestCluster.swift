import Foundation
import MazeRun
import MazeSystem
import MazeTestSupport
import Testing

/// `maze learner` and `maze actor --workers N` as real processes of a ``LocalCluster``, driven through `maze submit`
/// and `maze status`; everything is stopped and removed when the cluster is released.
final class TestCluster {
    /// The `maze` executable of the build configuration the tests run in.
    static var executable: String {
        #if DEBUG
            let configuration = "debug"
        #else
            let configuration = "release"
        #endif
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/\(configuration)/maze").path
    }

    /// One row of `maze status`.
    struct Status {
        var state: String
        var epoch: UInt64
        var best: Double?
    }

    private let cluster: LocalCluster
    private(set) var learner: ChildProcess
    let actors: ChildProcess
    private let learnerArguments: [String]

    var directory: URL { cluster.directory }
    var base: String { cluster.base }

    init(workers: Int, learnerArguments: [String] = [], actorArguments: [String] = []) throws {
        cluster = try LocalCluster(
            executable: Self.executable,
            directory: FileManager.default.temporaryDirectory.appendingPathComponent(
                "maze-cluster-\(UUID().uuidString)"),
            terminationGrace: .seconds(15))
        self.learnerArguments = learnerArguments
        learner = try cluster.startLearnerProcess(
            outputs: cluster.directory.appendingPathComponent("outputs"), extra: learnerArguments)
        // SIGTERM at shutdown lets the supervisor stop its workers; SIGKILL would orphan them until they notice.
        actors = try cluster.startActorSupervisor(workers: workers, envs: 2, extra: actorArguments)
        Thread.sleep(forTimeInterval: 1)
    }

    /// Runs `maze` with `arguments` to completion.
    static func maze(_ arguments: [String], seconds: Double = 30) throws -> ChildProcess.Exit {
        try ChildProcess(executable: executable, arguments: arguments).waitForExit(seconds: seconds)
    }

    /// The learner's Prometheus metrics, served with `--metrics 127.0.0.1:PORT`.
    static func scrape(_ port: Int) throws -> String {
        try ChildProcess(executable: "/usr/bin/curl", arguments: ["-s", "http://127.0.0.1:\(port)/"]).waitForExit(
            seconds: 10
        ).output
    }

    /// Starts another learner on the same outputs folder (after the previous one stopped) with `extra` arguments.
    func startLearner(_ extra: [String]) throws -> ChildProcess {
        try cluster.startLearnerProcess(
            outputs: directory.appendingPathComponent("outputs"), extra: learnerArguments + extra)
    }

    /// Replaces the learner process (the old one must have exited).
    func replaceLearner(_ extra: [String]) throws {
        learner = try startLearner(extra)
    }

    /// `maze submit -cn conf_train OVERRIDES`; the exit of the command, whose output is the experiment id.
    func submit(_ overrides: [String]) throws -> ChildProcess.Exit {
        try Self.maze(["submit", "-cn", "conf_train"] + overrides + ["--learner", base, "--insecure"])
    }

    /// Experiment `id`'s row of `maze status`, if the learner answered and lists it.
    func status(_ id: String) throws -> Status? {
        let output = try Self.maze(["status", "--learner", base, "--insecure"]).output
        guard let row = output.split(separator: "\n").first(where: { $0.hasPrefix(id + " ") }) else { return nil }
        let cells = row.split(separator: " ")
        guard cells.count > 3, let epoch = UInt64(cells[2]) else { return nil }
        return Status(state: String(cells[1]), epoch: epoch, best: Double(cells[3]))
    }

    /// Polls `maze status` every 2 s until experiment `id` reaches an evaluation mean of `target` or `seconds` pass,
    /// recording an issue (and giving up) once it is not running; `check` runs at every poll. Returns the best mean.
    func waitForBest(_ target: Double, of id: String, seconds: Double = 900, check: () throws -> Void = {}) throws
        -> Double
    {
        var best = 0.0
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, best < target {
            Thread.sleep(forTimeInterval: 2)
            let status = try #require(try self.status(id))
            #expect(status.state == "running")
            if status.state != "running" { break }
            best = status.best ?? best
            try check()
        }
        return best
    }

    /// The worker processes the actor supervisor runs.
    var workers: [Int32] { ProcessTable.children(of: actors.processIdentifier) }
}
