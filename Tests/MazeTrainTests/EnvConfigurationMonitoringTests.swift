import MazeConfig
import Testing

@testable import MazeTrain

/// `MazeEnvMonitoringWrapper` adds nothing to the stack (every run logs actions through its
/// `LogStatsWrapper`), so what it cannot do is refused by key rather than dropped without a word.
@Suite struct EnvConfigurationMonitoringTests {
    static func configuration(monitoring: String) throws -> EnvConfiguration {
        let yaml = """
            env: {_target_: make_gym_maze_env, name: CartPole-v1}
            wrappers:
              MazeEnvMonitoringWrapper: \(monitoring)
            """
        return try EnvConfiguration(config: ConfigSection(root: ConfigNode(yaml: yaml)))
    }

    @Test func theDocumentedSettingsAreAccepted() throws {
        let configuration = try Self.configuration(
            monitoring: "{observation_logging: false, action_logging: true, reward_logging: false}")
        #expect(configuration.wrappers.isEmpty)
        _ = try configuration.makeEnv()
    }

    @Test(arguments: [
        "observation_logging: true", "reward_logging: true", "action_logging: false", "action_loging: true",
    ])
    func whatItCannotDoIsRefusedByKey(setting: String) throws {
        let key = String(setting.prefix { $0 != ":" })
        #expect(throws: ConfigError.self) { try Self.configuration(monitoring: "{\(setting)}") }
        do { _ = try Self.configuration(monitoring: "{\(setting)}") } catch {
            #expect("\(error)".contains("wrappers.MazeEnvMonitoringWrapper.\(key)"))
        }
    }
}
