/// Composes a configuration the way `maze-run`/Hydra does: a root config and its defaults tree of
/// group files, command-line group and value overrides, experiment files, then interpolation.
public struct ConfigComposer: Sendable {
    /// The root config used when none is named (`-cn`): rollouts, as in Maze.
    public static let defaultRootConfig = "conf_rollout"

    /// Where configs are looked up.
    public let searchPath: ConfigSearchPath

    public init(searchPath: ConfigSearchPath) {
        self.searchPath = searchPath
    }

    /// Composes `rootConfig` with command-line `overrides` (`group=option`, `a.b=v`, `+a.b=v`, `++a.b=v`,
    /// `~a.b`, `+experiment=NAME`). Overrides of `hydra.*` keys (such as `hydra.run.dir`) do not enter the
    /// configuration; they are kept in `ComposedConfig.hydra` for the run folder. Sweeps (`a=1,2`) are rejected here; expand them with `MultirunSweep`.
    public func compose(rootConfig: String = defaultRootConfig, overrides: [String] = []) throws -> ComposedConfig {
        try compose(rootConfig: rootConfig, overrides: overrides.map(Override.init(parsing:)))
    }

    /// Composes with overrides given as values, e.g. built in code with `Override(key:value:)`.
    public func compose(rootConfig: String = defaultRootConfig, overrides parsed: [Override]) throws -> ComposedConfig {
        let rootConfig = rootConfig.hasSuffix(".yaml") ? String(rootConfig.dropLast(5)) : rootConfig
        guard let root = try ConfigFile.load(group: "", option: rootConfig, from: searchPath) else {
            throw searchPath.missingOption(group: "", option: rootConfig)
        }
        if let sweep = parsed.first(where: { if case .sweep = $0.value { true } else { false } }) {
            throw ConfigError.sweepWithoutMultirun(override: sweep.text)
        }
        let rootGroups = Set(
            root.defaults.compactMap { entry -> String? in
                if case .group(let group) = entry, !group.isOverride { return group.group }
                return nil
            })
        let isGroupOverride = { (override: Override) in
            !override.key.contains(".") && (rootGroups.contains(override.key) || searchPath.isGroup(override.key))
        }
        let groupOverrides = try GroupOverrides(parsed.filter(isGroupOverride), rootGroups: rootGroups)
        let tree = try buildTree(root: root, groupOverrides: groupOverrides)

        var config = ConfigNode.emptyMap
        for step in tree.steps { config = config.merging(step.content, at: step.package) }
        var hydra = ConfigNode.emptyMap
        for override in parsed where !isGroupOverride(override) {
            if override.key.hasPrefix("hydra.") {
                hydra = try ValueOverride.apply(override.forcingAdd, to: hydra)
            } else {
                config = try ValueOverride.apply(override, to: config)
            }
        }
        config = try InterpolationResolver(root: config).resolveAll()
        return ComposedConfig(
            rootConfig: rootConfig, config: config, choices: tree.choices, overrides: parsed.map(\.text),
            hydra: ConfigSection(path: ["hydra"], node: hydra["hydra"] ?? .emptyMap))
    }

    /// Builds the defaults tree until the `override` entries it finds stop changing (an experiment can
    /// override groups listed before it, so one pass is not enough), then checks every group override was used.
    private func buildTree(root: ConfigFile, groupOverrides: GroupOverrides) throws -> DefaultsTree {
        var overrideChoices: [String: String?] = [:]
        for _ in 0..<8 {
            var tree = DefaultsTree(
                searchPath: searchPath, commandLineChoices: groupOverrides.choices,
                overrideChoices: overrideChoices)
            try tree.expand(root, package: [], appending: groupOverrides.appended)
            guard tree.foundOverrides != overrideChoices else {
                let met = Set(tree.choices.map(\.group))
                if let unused = (groupOverrides.choices.keys.sorted() + overrideChoices.keys.sorted())
                    .first(where: { !met.contains($0) })
                {
                    throw ConfigError.groupNotInDefaults(group: unused)
                }
                return tree
            }
            overrideChoices = tree.foundOverrides
        }
        throw ConfigError.defaultsDidNotSettle(groups: overrideChoices.keys.sorted())
    }
}

/// Command-line overrides of config groups, split into changed choices and entries appended to the
/// root defaults list (`+experiment=x`).
private struct GroupOverrides {
    var choices: [String: String?] = [:]
    var appended: [GroupDefault] = []

    init(_ overrides: [Override], rootGroups: Set<String>) throws {
        for override in overrides {
            let option: String?
            switch override.value {
            case .single(.null)?:
                option = nil
            case .single(let value)?:
                guard let text = value.interpolationText else {
                    throw ConfigError.invalidOverride(override: override.text, problem: "a group needs one option name")
                }
                option = text
            case .sweep?:
                throw ConfigError.sweepWithoutMultirun(override: override.text)
            case nil:
                option = nil
            }
            switch override.action {
            case .change:
                choices[override.key] = .some(option)
            case .delete:
                choices[override.key] = .some(nil)
            case .add where rootGroups.contains(override.key):
                throw ConfigError.invalidOverride(
                    override: override.text,
                    problem: "group '\(override.key)' is already in the defaults list; use \(override.key)=OPTION")
            case .forceAdd where rootGroups.contains(override.key):
                choices[override.key] = .some(option)
            case .add, .forceAdd:
                appended.append(GroupDefault(group: override.key, relativeGroup: override.key, option: option))
            }
        }
    }
}
