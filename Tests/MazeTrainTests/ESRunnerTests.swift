import Foundation
import MazeCore
import MazeEnvs
import MazePerception
import Testing

@testable import MazeTrain

/// ES through the training session: epochs, the statistics table, the best model's checkpoint.
@Suite struct ESRunnerTests {
    static func tinySettings() -> ESSettings {
        var settings = ESSettings()
        settings.nEpochs = 2
        settings.nRolloutsPerUpdate = 4
        settings.maxSteps = 20
        settings.nEvalRollouts = 1
        settings.sharedNoiseTableSize = 10_000
        return settings
    }

    @Test func epochsPrintTheTableAndCheckpointTheBestModel() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("es-runner-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let console = DevRunnerTests.Console()
        var options = DevRunnerTests.options(loggingTo: console)
        options.outputDirectory = output
        options.seed = 4
        let registries = Registries.withMazeEnvs
        let runner = try ESRunner(
            makeEnv: { try registries.makeEnv("CartPole-v1") }, settings: Self.tinySettings(),
            recipe: .flattenConcat(hiddenUnits: [8]), options: options)
        let before = runner.model.parameters
        let summary = try runner.train()
        #expect(summary.epochs == 2)
        // Two pairs per update (4 episodes of at most 20 steps), two updates.
        #expect(summary.envSteps > 0 && summary.envSteps <= 2 * 4 * 20)
        let text = console.lines.withLock { $0.joined(separator: "\n") }
        for row in ["policy_grad_norm", "learning_rate", "episode_count", "time_epoch", "eval"] {
            #expect(text.contains(row), "\(row)")
        }
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(Checkpoint.weightsFile).path))
        let after = runner.model.parameters
        let policyChanged = after.names.contains { $0.hasPrefix("policy") && after[$0] != before[$0] }
        let criticChanged = after.names.contains { !$0.hasPrefix("policy") && after[$0] != before[$0] }
        #expect(policyChanged && !criticChanged)
    }

    @Test func aNoiseTableSmallerThanThePolicyIsRefusedByKey() throws {
        var settings = Self.tinySettings()
        settings.sharedNoiseTableSize = 10
        let registries = Registries.withMazeEnvs
        #expect {
            _ = try ESRunner(
                makeEnv: { try registries.makeEnv("CartPole-v1") }, settings: settings,
                recipe: .flattenConcat(hiddenUnits: [8]), options: DevRunnerTests.options(loggingTo: .init()))
        } throws: { error in
            guard case .invalidSetting(key: "runner.shared_noise_table_size", _)? = error as? TrainError else {
                return false
            }
            return true
        }
    }
}
