import MazeConfig

/// How a run folder records that its env came from code (`RunContext(envFactory:)`) rather than from the
/// `env` and `wrappers` groups: its `config.yaml` names this marker as `env._target_` and has no wrappers,
/// instead of the default env the groups would have composed, so that nothing later builds the wrong env.
enum EnvFromCode {
    /// `env._target_` of a run trained with an env factory.
    static let target = "RunContext.envFactory"

    /// The YAML of `composed` with `env` replaced by the marker and `wrappers` emptied.
    static func yaml(of composed: ComposedConfig) -> String {
        guard case .map(var root) = composed.config else { return composed.yaml }
        root["env"] = .map(ConfigMap([("_target_", .string(target))]))
        root["wrappers"] = .map(ConfigMap())
        return ConfigNode.map(root).yaml
    }

    /// Whether the config of a run folder carries the marker.
    static func isMarked(_ root: ConfigSection) -> Bool {
        (try? root.section("env").string("_target_")) == target
    }
}
