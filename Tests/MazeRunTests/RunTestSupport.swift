import Foundation
import MazeConfig
import MazeRun
import MazeSystem
import MazeTestSupport
import Synchronization
import Testing

/// Shared pieces of the MazeRun tests: scratch folders, tiny training settings, the built `maze` binary.
enum RunTestSupport {
    /// A fresh folder under the temporary directory.
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent(
            "maze-run-\(UUID().uuidString)", isDirectory: true)
    }

    /// Overrides that make a PPO training on CartPole take a fraction of a second in debug builds:
    /// two epochs of two updates of 16 steps, a small model, 50-step episodes, two evaluation episodes.
    static func tinyTraining(logBaseDir: URL, seed: Int = 3) -> [String] {
        [
            "env=gym_env", "env.name=CartPole-v1", "algorithm=ppo", "runner=dev", "model=vector_obs",
            "critic=template_state",
            "algorithm.n_epochs=2", "algorithm.epoch_length=2", "algorithm.n_rollout_steps=16",
            "algorithm.batch_size=32",
            "algorithm.rollout_evaluator.n_episodes=2", "+env.max_episode_steps=50", "log_base_dir=\(logBaseDir.path)",
            "seeding.env_base_seed=\(seed)",
        ]
    }

    /// A composer over the shipped `conf/`.
    static let composer = ConfigComposer(
        searchPath: ConfigSearchPath(shippedDirectory: ConfigSearchPath.shippedDirectory()))

    /// The `maze` executable built next to the test bundle (`swift build` builds it with the tests).
    static func mazeBinary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["MAZE_BINARY"] { return path }
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [directory.appendingPathComponent("maze").path]
        // Swift Testing may run from inside the .xctest bundle.
        candidates.append(directory.deletingLastPathComponent().appendingPathComponent("maze").path)
        return try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
            "build the maze product first: swift build")
    }

    /// Runs `maze` with `arguments` and waits for it.
    static func maze(_ arguments: [String], seconds: Double = 60) throws -> ChildProcess.Exit {
        try ChildProcess(executable: try mazeBinary(), arguments: arguments).waitForExit(seconds: seconds)
    }

    /// The folders directly inside `directory`, sorted.
    static func subfolders(of directory: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}

/// Collects console lines written from any thread.
final class ConsoleLines: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    var output: @Sendable (String) -> Void {
        { line in self.lines.withLock { $0.append(line) } }
    }
}
