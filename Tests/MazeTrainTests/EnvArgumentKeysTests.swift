import MazeConfig
import Testing

@testable import MazeTrain

/// A key in `env`, `wrappers` or a pre-processor's `config` that no factory reads is refused when the config is
/// read, naming its full path and the nearest known key: it never goes unnoticed.
@Suite struct EnvArgumentKeysTests {
    static func configuration(_ yaml: String) throws -> EnvConfiguration {
        try EnvConfiguration(config: ConfigSection(root: ConfigNode(yaml: yaml)))
    }

    static let cutting =
        "_target_: cutting_2d_env_factory, max_pieces_in_inventory: 8, raw_piece_size: [10, 10], static_demand: [3, 2]"

    @Test func theShippedKeysAreAccepted() throws {
        let native = try Self.configuration(
            "env: {_target_: make_gym_maze_env, name: CartPole-v1, max_episode_steps: 4, seed: 2}")
        #expect(native.arguments.node == ["max_episode_steps": 4, "seed": 2])
        _ = try Self.configuration("env: {\(Self.cutting)}\nwrappers: {TimeLimitWrapper: {max_episode_steps: 5}}")
    }

    @Test func aTypoInANativeEnvArgumentSuggestsTheKey() throws {
        #expect(
            throws: ConfigError.unknownKey(
                path: "env.max_episode_step", known: ["max_episode_steps", "seed"], suggestion: "env.max_episode_steps")
        ) {
            try Self.configuration("env: {_target_: make_gym_maze_env, name: CartPole-v1, max_episode_step: 4}")
        }
    }

    @Test func kwargsOfANativeEnvAreRefused() throws {
        #expect {
            try Self.configuration("env: {\(Self.cutting), kwargs: {foo: 1}}")
        } throws: { error in
            "\(error)".hasPrefix(
                "env.kwargs: unknown key; known keys: max_pieces_in_inventory, raw_piece_size, reward_aggregator")
        }
    }

    @Test func wrapperAndPreProcessorKeysAreChecked() throws {
        #expect(
            throws: ConfigError.unknownKey(
                path: "wrappers.TimeLimitWrapper.max_steps", known: ["max_episode_steps"], suggestion: nil)
        ) {
            try Self.configuration("env: {\(Self.cutting)}\nwrappers: {TimeLimitWrapper: {max_steps: 5}}")
        }
        let preprocessing = """
            env: {\(Self.cutting)}
            wrappers:
              PreProcessingWrapper:
                pre_processor_mapping:
                  - observation: inventory
                    _target_: FlattenPreProcessor
                    config: {num_flaten_dims: 2}
            """
        #expect {
            _ = try Self.configuration(preprocessing).makeEnv()
        } throws: { error in
            "\(error)".hasPrefix(
                "wrappers.PreProcessingWrapper.pre_processor_mapping.0.config.num_flaten_dims: unknown key; "
                    + "known keys: num_flatten_dims. "
                    + "Did you mean wrappers.PreProcessingWrapper.pre_processor_mapping.0.config.num_flatten_dims?")
        }
    }
}
