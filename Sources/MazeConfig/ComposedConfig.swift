/// The result of composition: the fully resolved configuration and how it was chosen.
public struct ComposedConfig: Sendable, Equatable {
    /// The root config it was composed from (`conf_train`, `conf_rollout`, …).
    public let rootConfig: String
    /// The configuration, with every interpolation resolved.
    public let config: ConfigNode
    /// The option of every group in the defaults tree, in defaults-list order.
    public let choices: [GroupChoice]
    /// The command-line overrides it was composed with, as given.
    public let overrides: [String]

    /// Settings given as `hydra.*` overrides (`hydra.run.dir`, `hydra.sweep.dir`), which choose the run
    /// folder but are not part of the configuration itself.
    public let hydra: ConfigSection

    /// The configuration as a section for typed reads.
    public var root: ConfigSection { ConfigSection(root: config) }

    /// The option chosen for `group`, or `nil` if the group was deselected or is not in the defaults tree.
    public func choice(_ group: String) -> String? {
        choices.first { $0.group == group }?.option
    }

    /// The configuration as YAML, the form saved into each run folder.
    public var yaml: String { config.yaml }
}
