import Foundation
import MazeConfig
import MazeCore
import MazeEnvs
import MazeTrain
import Testing

@testable import MazeRun

/// A trained run folder used again: `input_dir=<run folder>` to continue training, rollouts with
/// `env`/`wrappers` overrides, and run folders of `RunContext(envFactory:)`.
@Suite struct RunFolderInputTests {
    static func train(_ outputs: URL, extra: [String] = []) throws -> TrainingRun.Outcome {
        let overrides = RunTestSupport.tinyTraining(logBaseDir: outputs) + ["algorithm.n_epochs=1"] + extra
        let results = try RunLauncher(
            composer: RunTestSupport.composer, rootConfig: "conf_train", overrides: overrides, multirun: false,
            commandLine: ["maze", "run"], output: { _ in }
        ).run()
        return try TrainingRunTests.training(try #require(results.first))
    }

    static func rollout(_ overrides: [String]) throws -> RolloutSetup {
        try RolloutSetup(
            RunTestSupport.composer.compose(
                overrides: [
                    "policy=torch_policy", "model=vector_obs", "runner=sequential", "runner.n_episodes=1",
                    "runner.record_event_logs=false",
                ] + overrides))
    }

    @Test func devTrainingContinuesFromTheRunFolder() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let first = try Self.train(outputs)
        let best = try Checkpoint.load(from: first.folder.bestCheckpointDirectory)
        #expect(try Checkpoint.load(inputDirectory: first.folder.root.path) == best)
        #expect(try Checkpoint.load(inputDirectory: first.folder.bestCheckpointDirectory.path) == best)
        let second = try Self.train(
            outputs.appendingPathComponent("second"), extra: ["input_dir=\(first.folder.root.path)"])
        #expect(second.summary.epochs == 1)
    }

    @Test func rolloutEnvOverridesAreHonouredOrRefusedByName() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let trained = try Self.train(outputs)
        let input = "input_dir=\(trained.folder.root.path)"

        let recorded = try Self.rollout([input])
        #expect(try #require(recorded.trainedRun).env.arguments.node["max_episode_steps"] == .int(50))

        let shorter = try Self.rollout([input, "env=gym_env", "env.name=CartPole-v1", "+env.max_episode_steps=7"])
        #expect(try #require(shorter.trainedRun).envOverridden)
        #expect(try shorter.run().episodes.allSatisfy { $0.stepCount <= 7 })

        #expect(throws: MazeRunError.self) { try Self.rollout([input, "env.name=Acrobot-v1"]) }
        do {
            _ = try Self.rollout([input, "env.name=Acrobot-v1"])
        } catch {
            #expect("\(error)".hasPrefix("env: the env and wrappers given on the command line do not fit"))
        }
    }

    @Test func runContextWithAnEnvFactoryRecordsThatItsEnvCameFromCode() throws {
        let runDir = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: runDir) }
        let context = try RunContext(
            envFactory: { try Registries.withMazeEnvs.makeEnv("Acrobot-v1", ["max_episode_steps": 20]) },
            algorithm: "a2c",
            model: "vector_obs", critic: "template_state", overrides: RunContextTests.tinySettings, runDir: runDir,
            silent: true)
        try context.train(nEpochs: 1)
        let yaml = try String(contentsOf: runDir.appendingPathComponent("config.yaml"), encoding: .utf8)
        #expect(yaml.contains(EnvFromCode.target))
        #expect(!yaml.contains("CartPole"))

        #expect(throws: MazeRunError.self) { try Self.rollout(["input_dir=\(runDir.path)"]) }
        let named = try Self.rollout([
            "input_dir=\(runDir.path)", "env=gym_env", "env.name=Acrobot-v1", "+env.max_episode_steps=5",
        ])
        #expect(try named.run().episodes.count == 1)
    }
}
