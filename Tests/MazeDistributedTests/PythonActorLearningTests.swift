import Foundation
import MazeSystem
import MazeTestSupport
import Testing

/// `tools/python_actor.py`, an actor written from docs/PROTOCOL.md alone (numpy forward pass, CartPole-v1 in
/// numpy), trains IMPALA through `maze learner` (release build) to an evaluation mean of 475 with no Swift actor
/// connected, and none of its batches is rejected by the learner's checks.
///
///     MAZE_LEARNING_TESTS=1 MAZE_PYTHON=.venv/bin/python swift test -c release --filter ServiceLearningPythonActor
@Suite(
    .enabled(
        if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"
            && ProcessInfo.processInfo.environment["MAZE_PYTHON"] != nil))
struct ServiceLearningPythonActorTests {
    @Test func pythonActorsTrainCartPoleToTheTarget() throws {
        let python = try #require(ProcessInfo.processInfo.environment["MAZE_PYTHON"])
        let directory = try TemporaryDirectory()
        let base = "ipc://\(directory.path)/sockets"
        let learner = try ChildProcess(
            executable: TestCluster.executable,
            arguments: [
                "learner", "--bind", base, "--insecure", "--outputs",
                directory.url.appendingPathComponent("outputs").path,
            ],
            environment: ["OPENBLAS_NUM_THREADS": "1"])
        defer { learner.kill() }
        Thread.sleep(forTimeInterval: 1)
        let submitted = try TestCluster.maze(
            ["submit", "-cn", "conf_train"] + ServiceLearningTests.impala + [
                "seeding.env_base_seed=3", "--learner", base, "--insecure",
            ])
        #expect(submitted.succeeded, "\(submitted.errorOutput)")
        let id = submitted.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("tools/python_actor.py").path
        let actors = try (0..<2).map { index in
            try ChildProcess(
                executable: python,
                arguments: [
                    script, "--connect", base, "--worker-id", "python-\(index)", "--envs", "8", "--seed",
                    String(index + 1),
                ])
        }
        defer { for actor in actors { actor.kill() } }

        var best = 0.0
        var state = "running"
        let deadline = Date().addingTimeInterval(900)
        while Date() < deadline, best < 475, state == "running", actors.allSatisfy(\.isRunning) {
            Thread.sleep(forTimeInterval: 2)
            let output = try TestCluster.maze(["status", "--learner", base, "--insecure"]).output
            guard let row = output.split(separator: "\n").first(where: { $0.hasPrefix(id + " ") }) else { continue }
            let cells = row.split(separator: " ")
            state = String(cells[1])
            best = cells.count > 3 ? Double(cells[3]) ?? best : best
        }
        #expect(state == "running")
        #expect(best >= 475)
        let status = try TestCluster.maze(["status", "--learner", base, "--insecure"]).output
        for reason in ["schema", "non_finite", "invalid_action", "unregistered_actor"] {
            #expect(!status.contains(reason), "\(status)")
        }
        // Cancelling stops the Python actors: they follow the stop flag of the broadcast.
        #expect(try TestCluster.maze(["cancel", id, "--learner", base, "--insecure"]).succeeded)
        for actor in actors {
            let exit = try actor.waitForExit(seconds: 30)
            #expect(exit.status == 0, "\(exit.errorOutput)")
        }
    }
}
