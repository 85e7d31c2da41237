import Foundation
import MazeConfig
import MazeCore
import MazeEnvs
import Testing

@testable import MazeRun

/// RunContext from Swift code: an env factory and component names in, a trained policy out.
@Suite struct RunContextTests {
    static let tinySettings: [String: ConfigNode] = [
        "algorithm.epoch_length": 2, "algorithm.n_rollout_steps": 16,
        "algorithm.rollout_evaluator.n_episodes": 2, "seeding.env_base_seed": 5,
    ]

    @Test func trainsEvaluatesAndComputesActions() throws {
        let runDir = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: runDir) }
        let context = try RunContext(
            envFactory: { try Registries.withMazeEnvs.makeEnv("CartPole-v1", ["max_episode_steps": 50]) },
            algorithm: "a2c",
            model: "vector_obs", critic: "template_state", overrides: Self.tinySettings, runDir: runDir, silent: true)
        #expect(context.config.choice("algorithm") == "a2c")
        #expect(throws: MazeRunError.self) { try context.evaluate() }

        try context.train(nEpochs: 1)
        #expect(
            FileManager.default.fileExists(
                atPath: runDir.appendingPathComponent("checkpoints/best/state_dict.safetensors").path))
        #expect(
            try String(contentsOf: runDir.appendingPathComponent("config.yaml"), encoding: .utf8).contains(
                "n_epochs: 1"))

        let stats = try context.evaluate(nEpisodes: 3)
        let episodes = try #require(stats.value(topic: "BaseEnvEvents", event: "reward", name: "episode_count"))
        #expect(episodes.scalar == 3)
        let mean = try #require(stats.value(topic: "BaseEnvEvents", event: "reward", name: "mean")).scalar
        #expect(mean > 0 && mean <= 50)

        let env = try context.envFactory()
        let observation = try env.reset()
        let action = try context.computeAction(observation: observation, deterministic: true)
        #expect(env.actionSpace.contains(action))
        #expect(try context.computeAction(observation: observation, deterministic: true) == action)
        _ = try env.step(action)
    }

    /// Without `runDir`, a training claims a folder of its own, as `maze run` does: when another run's folder of
    /// the same second exists, it trains into `<timestamp>_1` and leaves the other alone.
    @Test func aTrainingWithoutARunFolderClaimsOneOfItsOwn() throws {
        let base = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: base) }
        var overrides = Self.tinySettings
        overrides["log_base_dir"] = .string(base.path)
        let context = try RunContext(
            envFactory: { try Registries.withMazeEnvs.makeEnv("CartPole-v1", ["max_episode_steps": 50]) },
            algorithm: "a2c", model: "vector_obs", critic: "template_state", overrides: overrides, silent: true)
        // Other runs' folders for this second and the next ten, whichever second the training starts in.
        let now = Date()
        let others = try (0...10).map { offset in
            try RunDirectory.path(for: context.config, date: now.addingTimeInterval(Double(offset)))
        }
        for folder in others {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data("other run".utf8).write(to: URL(fileURLWithPath: folder + "/marker"))
        }
        try context.train(nEpochs: 1)
        let runDir = try #require(context.runDir)
        #expect(!others.contains(runDir.path))
        #expect(others.contains { runDir.path == $0 + "_1" })
        #expect(FileManager.default.fileExists(atPath: runDir.appendingPathComponent("config.yaml").path))
        for folder in others {
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["marker"])
        }
    }

    @Test func namedComponentsComposeAndMistakesAreConfigErrors() throws {
        let context = try RunContext(
            env: "gym_env", algorithm: "impala", overrides: ["env.name": "Acrobot-v1"], silent: true)
        #expect(try context.config.root.string("env.name") == "Acrobot-v1")
        #expect(try context.envFactory().actionSpace == Registries.withMazeEnvs.makeEnv("Acrobot-v1").actionSpace)
        #expect(throws: ConfigError.self) { try RunContext(algorithm: "ppp") }
        #expect(throws: MazeRunError.self) { try RunContext(runner: "local") }
    }
}
