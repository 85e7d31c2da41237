import MazeConfig
import MazeCore
import MazeEnvs
import MazeGymBridge

/// Builds environments as a config's `env` and `wrappers` sections describe them.
///
/// `env._target_` names a factory: `make_gym_maze_env` takes the Gym id from `env.name`, the tutorial's
/// cutting factories map to their registered names, and any other target is looked up in the registry
/// as given. Gymnasium ids without a native port and Python factories (`package.module:factory`) are built
/// by the Gymnasium bridge (``EnvBackend``). The `wrappers` map is applied top to bottom, as in Maze.
public struct EnvConfiguration: Sendable {
    /// The registered env name and its parameters.
    public let envName: String
    public let arguments: ConfigSection
    /// Wrapper names and parameters, innermost first.
    public let wrappers: [(name: String, arguments: ConfigSection)]
    private let registries: Registries
    /// The env servers of a bridged Gymnasium env, `nil` for native envs.
    public let gymBridge: GymBridgeHost?

    /// Maze's env factory targets that are registered here under another name.
    private static let targetNames = [
        "cutting_2d_env_factory": "cutting_2d",
        "structured_cutting_2d_env_factory": "cutting_2d_struct",
        "masked_structured_cutting_2d_env_factory": "cutting_2d_struct_masked",
    ]
    /// Monitoring wrappers whose work every run does anyway (episode and action statistics come from
    /// the `LogStatsWrapper` the runners add), so they add nothing to the stack; settings asking for more
    /// than that are refused (see ``checkMonitoring(_:)``).
    private static let builtInMonitoring: Set<String> = [
        "MazeEnvMonitoringWrapper", "maze.core.wrappers.maze_env_monitoring_wrapper.MazeEnvMonitoringWrapper",
    ]

    /// Reads `env` and `wrappers` (absent or null wrappers mean none) from the root of a config.
    public init(config root: ConfigSection, registries: Registries = .withMazeEnvs) throws {
        let env = try root.section("env")
        let target = try env.string("_target_")
        switch try EnvBackend.choose(
            env: env, target: target, registeredName: Self.targetNames[target] ?? target, registries: registries)
        {
        case .native(let name, let nativeArguments):
            (envName, arguments, gymBridge) = (name, nativeArguments, nil)
        case .gymnasium(let host):
            (envName, arguments, gymBridge) = (host.spec.displayName, [:], host)
        }
        var stack: [(name: String, arguments: ConfigSection)] = []
        if let wrappers = root.nonNull("wrappers") {
            for entry in try wrappers.entries() {
                guard let name = entry.key else { continue }
                if Self.builtInMonitoring.contains(name) {
                    try Self.checkMonitoring(entry)
                    continue
                }
                stack.append((name, entry.removing(["_target_"])))
            }
        }
        wrappers = stack
        self.registries = registries
        // Unknown names and keys are refused here, when the config is read, not when the first env is built.
        if gymBridge == nil { _ = try registries.envs.arguments(arguments, for: envName) }
        for wrapper in stack { _ = try registries.wrappers.arguments(wrapper.arguments, for: wrapper.name) }
    }

    /// `MazeEnvMonitoringWrapper`'s settings: action logging is what every run's `LogStatsWrapper` does;
    /// observation and reward logging are not available, so asking for them (or switching action logging
    /// off) is refused by key instead of being ignored.
    static func checkMonitoring(_ entry: ConfigSection) throws {
        let expected = ["observation_logging": false, "action_logging": true, "reward_logging": false]
        try entry.refuseKeys(otherThan: Set(expected.keys))
        for setting in entry.isNull ? [] : try entry.entries() {
            guard let key = setting.key, let wanted = expected[key], try setting.bool() != wanted else { continue }
            throw setting.invalid(
                key == "action_logging"
                    ? "action statistics are always logged (by the LogStatsWrapper every run adds); remove the key or set it to true"
                    : "observation and reward monitoring are not available in swift-maze yet; set it to false (episode rewards are logged as BaseEnvEvents)"
            )
        }
    }

    /// A fresh, wrapped environment.
    public func makeEnv() throws -> any StructuredEnv {
        try registries.wrap(try gymBridge?.makeEnv() ?? registries.makeEnv(envName, arguments), with: wrappers)
    }
}
