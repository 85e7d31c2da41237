import Foundation
import MazeConfig
import MazeCore
import MazeTrain
import Testing

@testable import MazeRun

/// RunContext with a user's own components: an env registered only in a `MazeComponents` value is named by a
/// config of the user's config folder and trained, as the user's own `maze` executable would.
@Suite struct RunContextComponentsTests {
    @Test func trainsAnEnvRegisteredInTheComponents() throws {
        let folder = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let conf = folder.appendingPathComponent("conf/env", isDirectory: true)
        try FileManager.default.createDirectory(at: conf, withIntermediateDirectories: true)
        try "# @package env\n_target_: short_cartpole\nmax_episode_steps: 30\n"
            .write(to: conf.appendingPathComponent("short_cartpole.yaml"), atomically: true, encoding: .utf8)
        var components = MazeComponents.builtIn
        components.registries.envs.register("short_cartpole", keys: ["max_episode_steps"]) { arguments in
            let limit = try arguments.int("max_episode_steps", default: 500)
            return try MazeComponents.builtIn.registries.makeEnv("CartPole-v1", ["max_episode_steps": .int(limit)])
        }
        let configDirectories = [folder.appendingPathComponent("conf", isDirectory: true)]

        #expect(throws: (any Error).self, "the built-in components do not know the env") {
            try RunContext(env: "short_cartpole", configDirectories: configDirectories, silent: true)
        }
        let context = try RunContext(
            env: "short_cartpole", algorithm: "a2c", model: "vector_obs", critic: "template_state",
            overrides: RunContextTests.tinySettings, configDirectories: configDirectories,
            runDir: folder.appendingPathComponent("run"), silent: true, components: components)
        try context.train(nEpochs: 1)
        let stats = try context.evaluate(nEpisodes: 2)
        let episodes = try #require(stats.value(topic: "BaseEnvEvents", event: "reward", name: "episode_count"))
        #expect(episodes.scalar == 2)
        // CartPole pays 1 per step: no return above the env config's 30 steps.
        let longest = try #require(stats.value(topic: "BaseEnvEvents", event: "reward", name: "max"))
        #expect(longest.scalar <= 30, "the env's config argument reached the registered factory")
    }
}
