import MazeConfig
import MazeCore
import MazeGymBridge
import MazeTrain
import Testing

/// `env=gym_env env.name=<id>`, `env.backend` and `env._target_` choose the native port or the bridge.
@Suite(.serialized) struct GymBridgeConfigTests {
    @Test func nativePortIsUsedWhereOneExists() throws {
        let config = try BridgeTestSupport.configuration("env: {_target_: make_gym_maze_env, name: CartPole-v1}")
        #expect(config.gymBridge == nil)
        #expect(config.envName == "CartPole-v1")
    }

    @Test func renamedIDsMapToTheCurrentVersion() throws {
        let native = try BridgeTestSupport.configuration("env: {_target_: make_gym_maze_env, name: Pendulum-v0}")
        #expect(native.gymBridge == nil)
        #expect(native.envName == "Pendulum-v1")
        let bridged = try BridgeTestSupport.configuration("env: {_target_: make_gym_maze_env, name: LunarLander-v2}")
        #expect(bridged.gymBridge?.spec.id == "LunarLander-v3")
        #expect(bridged.gymBridge?.spec.note?.contains("LunarLander-v3") == true)
    }

    @Test func wrongBackendIsRefusedNamingTheKey() throws {
        #expect(
            throws: TrainError.invalidSetting(
                key: "env.backend", problem: "must be one of auto, native, gymnasium, got 'python'")
        ) {
            try BridgeTestSupport.configuration(
                "env: {_target_: make_gym_maze_env, name: CartPole-v1, backend: python}")
        }
        #expect {
            try BridgeTestSupport.configuration(
                "env: {_target_: make_gym_maze_env, name: LunarLander-v3, backend: native}")
        } throws: { error in
            guard case .invalidSetting(let key, _) = error as? TrainError else { return false }
            return key == "env.backend"
        }
    }

    @Test func forcedBridgePassesMakeArgumentsThrough() throws {
        try BridgeTestSupport.requirePython()
        let config = try BridgeTestSupport.configuration(
            """
            env: {_target_: make_gym_maze_env, name: CartPole-v1, backend: gymnasium, max_episode_steps: 4, n_servers: 1}
            """)
        #expect(config.gymBridge?.spec.kwargs == ["max_episode_steps": 4])
        let env = try config.makeEnv()
        #expect(env.observationSpace.flatCount == 4)
        env.seed(3)
        _ = try env.reset()
        var flags: [Bool] = []
        for step in 0..<4 { flags.append(try env.step(["action": .scalar(step % 2)]).truncated) }
        #expect(flags == [false, false, false, true])
        #expect(env.render()?.contains("CartPole-v1: state") == true)
    }

    @Test func pythonFactoryTargetBuildsTheUsersEnv() throws {
        try BridgeTestSupport.requirePython()
        let config = try BridgeTestSupport.configuration(
            """
            env: {_target_: "bridge_test_envs:info_mask", n_servers: 1, python_path: "\(BridgeTestSupport.pythonEnvs)"}
            """)
        #expect(config.gymBridge?.spec.target == "bridge_test_envs:info_mask")
        let env = try config.makeEnv()
        #expect(env.observationSpace.keys == ["observation", "action_mask"])
    }

    @Test func unknownMakeArgumentIsRefusedNamingTheKeyAndTheNearestOne() throws {
        try BridgeTestSupport.requirePython()
        let config = try BridgeTestSupport.configuration(
            """
            env: {_target_: make_gym_maze_env, name: CartPole-v1, backend: gymnasium, max_episode_step: 4, n_servers: 1}
            """)
        #expect {
            _ = try config.makeEnv()
        } throws: { error in
            guard case .pythonException(_, let message, _) = error as? GymBridgeError else { return false }
            return message.contains("env.max_episode_step is not an argument of gymnasium.make('CartPole-v1')")
                && message.contains("did you mean env.max_episode_steps?")
        }
        // `name` is a factory's keyword argument like any other key, not dropped as the Gymnasium id's key.
        let factory = try BridgeTestSupport.configuration(
            """
            env: {_target_: "bridge_test_envs:info_mask", name: belt, n_servers: 1, python_path: "\(BridgeTestSupport.pythonEnvs)"}
            """)
        #expect(factory.gymBridge?.spec.kwargs == ["name": "belt"])
        #expect {
            _ = try factory.makeEnv()
        } throws: { error in
            guard case .pythonException(_, let message, _) = error as? GymBridgeError else { return false }
            return message.contains("env.name is not an argument of bridge_test_envs:info_mask")
        }
    }

    @Test func unknownModuleIsAPythonErrorNamingIt() throws {
        try BridgeTestSupport.requirePython()
        let config = try BridgeTestSupport.configuration(
            "env: {_target_: \"my_project.env_factory:make_env\", n_servers: 1}")
        #expect {
            _ = try config.makeEnv()
        } throws: { error in
            guard case .pythonException(let env, let message, _) = error as? GymBridgeError else { return false }
            return env == "my_project.env_factory:make_env" && message.contains("No module named 'my_project'")
        }
    }
}
