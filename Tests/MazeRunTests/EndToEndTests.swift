import Foundation
import MazeConfig
import MazeReporting
import Testing

/// The README's quick start on the release-built `maze` executable: PPO on CartPole-v1 with the shipped
/// defaults reaches an evaluation mean of 475, leaves the run folder, and a rollout from that folder
/// loads the best model and reproduces its evaluation return.
///
/// Minutes of training, so it runs only when asked for:
///
///     swift build -c release --product maze && MAZE_LEARNING_TESTS=1 swift test -c release --filter EndToEnd
///
/// (or, with debug-built tests, `MAZE_BINARY=.build/release/maze MAZE_LEARNING_TESTS=1 swift test --filter EndToEnd`).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"))
struct EndToEndTests {
    @Test func quickStartTrainsCartPoleAndTheRolloutReproducesTheBestModel() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let clock = ContinuousClock()
        let start = clock.now
        let training = try RunTestSupport.maze(
            [
                "run", "-cn", "conf_train", "env=gym_env", "env.name=CartPole-v1", "algorithm=ppo", "runner=dev",
                "log_base_dir=\(outputs.path)",
            ],
            seconds: 3600)
        let wallTime = clock.now - start
        #expect(training.status == 0, "\(training.errorOutput)")

        let experiment = outputs.appendingPathComponent("gym_env-flatten_concat-ppo-dev")
        let folder = RunFolder(root: try #require(try RunTestSupport.subfolders(of: experiment).first))
        let manager = FileManager.default
        for file in [folder.configFile, folder.commandFile, folder.csvFile, folder.jsonlFile, folder.reportFile] {
            #expect(manager.fileExists(atPath: file.path), "\(file.lastPathComponent)")
        }
        for checkpoint in ["best", "last"] {
            #expect(
                manager.fileExists(
                    atPath: folder.checkpointsDirectory.appendingPathComponent("\(checkpoint)/state_dict.safetensors")
                        .path))
        }
        #expect(!(try manager.contentsOfDirectory(atPath: folder.tensorboardDirectory.path)).isEmpty)

        let evaluationMean = try #require(
            Self.value(named: "mean", prefix: "eval", in: Self.finalTable(training.output)))
        #expect(evaluationMean >= 475)
        let epochs = try ScalarLog(contentsOf: folder.jsonlFile).records.count
        let config = ConfigSection(root: try ConfigNode(yaml: String(contentsOf: folder.configFile, encoding: .utf8)))
        let stepsPerEpoch =
            try config.int("algorithm.epoch_length") * config.int("algorithm.n_rollout_steps")
            * config.int("runner.concurrency")
        print(
            "[end-to-end] maze run PPO CartPole-v1: evaluation mean \(evaluationMean) after \(epochs) epochs, "
                + "\(epochs * stepsPerEpoch) training env steps, wall time \(wallTime)")

        let heading = try #require(
            training.output.split(separator: "\n").last { $0.hasPrefix("Evaluation of the best model") })
        let command = try #require(heading.components(separatedBy: "replay them with: ").last?.dropLast(2))
        let arguments = command.split(separator: " ").map(String.init)
        #expect(arguments.first == "maze")
        let rollout = try RunTestSupport.maze(
            Array(arguments.dropFirst()) + ["log_base_dir=\(outputs.path)"], seconds: 600)
        #expect(rollout.status == 0, "\(rollout.errorOutput)")
        #expect(rollout.output.contains("Loaded the best model of \(folder.root.path)"))
        let rolloutMean = try #require(Self.value(named: "mean", prefix: "rollout", in: rollout.output))
        #expect(rolloutMean == evaluationMean)
    }

    /// The evaluation table printed after training: the lines after its heading.
    static func finalTable(_ output: String) throws -> String {
        let parts = output.components(separatedBy: "Evaluation of the best model")
        return try #require(parts.count > 1 ? parts.last : nil)
    }

    /// The value of the `BaseEnvEvents reward <name>` row with `prefix` in a stats table.
    static func value(named name: String, prefix: String, in table: String) -> Double? {
        table.split(separator: "\n").lazy
            .filter { $0.contains("|\(prefix) ") && $0.contains("BaseEnvEvents") && $0.contains(" reward ") }
            .compactMap { line -> Double? in
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count == 3, cells[1].split(separator: " ").last == Substring(name) else { return nil }
                return Double(cells[2])
            }
            .first
    }
}
