/// Walks the defaults lists from the root config down through every selected group file and produces,
/// in merge order, the content to merge and the package (key path) to merge it at.
///
/// Choices come, by precedence, from the command line, then from `override` entries (as in experiment
/// files), then from the entry itself; `${group}` in an option is resolved against the choices made so far.
struct DefaultsTree {
    /// One piece of content and the key path it is merged at (`[]` is the config root).
    struct MergeStep {
        let package: [String]
        let content: ConfigNode
    }

    let searchPath: ConfigSearchPath
    /// Group choices given on the command line (`nil` deselects the group).
    let commandLineChoices: [String: String?]
    /// Group choices from `override` entries found in the previous pass.
    let overrideChoices: [String: String?]

    private(set) var steps: [MergeStep] = []
    /// The choice of every group met, in the order met.
    private(set) var choices: [GroupChoice] = []
    /// `override` entries met in this pass; if they differ from `overrideChoices` the caller runs again.
    private(set) var foundOverrides: [String: String?] = [:]

    init(searchPath: ConfigSearchPath, commandLineChoices: [String: String?], overrideChoices: [String: String?]) {
        self.searchPath = searchPath
        self.commandLineChoices = commandLineChoices
        self.overrideChoices = overrideChoices
    }

    /// Expands a file's defaults list (with `_self_` implicitly last when absent) into merge steps.
    /// `extra` entries (`+group=option` from the command line) come after everything, `_self_` included,
    /// so that an experiment's values win over the root config's.
    mutating func expand(_ file: ConfigFile, package: [String], appending extra: [GroupDefault] = []) throws {
        var entries = file.defaults
        if !entries.contains(.selfContent) { entries.append(.selfContent) }
        for entry in entries + extra.map(DefaultsEntry.group) {
            switch entry {
            case .selfContent:
                steps.append(MergeStep(package: package, content: file.content))
            case .config(let name):
                guard let sibling = try ConfigFile.load(group: file.group, option: name, from: searchPath) else {
                    throw searchPath.missingOption(group: file.group, option: name)
                }
                try expand(sibling, package: package)
            case .group(let entry) where entry.isOverride:
                foundOverrides[entry.group] = .some(entry.option)
            case .group(let entry):
                try select(entry, parentPackage: package, parentFile: file.name)
            }
        }
    }

    private mutating func select(_ entry: GroupDefault, parentPackage: [String], parentFile: String) throws {
        guard !choices.contains(where: { $0.group == entry.group }) else {
            throw ConfigError.invalidFile(
                file: parentFile, problem: "group '\(entry.group)' appears twice in the defaults tree")
        }
        let option: String?
        if let chosen = commandLineChoices[entry.group] {
            option = chosen
        } else if let chosen = overrideChoices[entry.group] {
            option = chosen
        } else {
            option = try entry.option.map { try interpolateChoice($0, group: entry.group) }
        }
        choices.append(GroupChoice(group: entry.group, option: option))
        guard let option else { return }
        guard let file = try ConfigFile.load(group: entry.group, option: option, from: searchPath) else {
            if entry.isOptional { return }
            throw searchPath.missingOption(group: entry.group, option: option)
        }
        try expand(file, package: package(of: entry, file: file, parentPackage: parentPackage))
    }

    /// The key path a group file merges at: the entry's `@package`, else the file's `# @package`,
    /// else the group path (relative groups nest below their parent's package).
    private func package(of entry: GroupDefault, file: ConfigFile, parentPackage: [String]) -> [String] {
        let groupPackage = entry.group.replacingOccurrences(of: "/", with: ".")
        func resolve(_ name: String, relativeTo base: [String]) -> [String] {
            name == "_global_"
                ? [] : base + keyPathSegments(name.replacingOccurrences(of: "_group_", with: groupPackage))
        }
        if let package = entry.package { return resolve(package, relativeTo: parentPackage) }
        if let directive = file.packageDirective { return resolve(directive, relativeTo: []) }
        guard let relative = entry.relativeGroup else { return keyPathSegments(groupPackage) }
        return parentPackage + relative.split(separator: "/").map(String.init)
    }

    /// Resolves `${algorithm}-${runner}`-style options against the choices made so far.
    private func interpolateChoice(_ option: String, group: String) throws -> String {
        guard option.contains("${") else { return option }
        var known = ConfigMap()
        for choice in choices { known[choice.group] = choice.option.map(ConfigNode.string) ?? .null }
        let value = try InterpolationResolver(root: .map(known)).evaluate(option, at: ["defaults", group])
        return value.interpolationText ?? option
    }
}

/// The option a group was composed with, e.g. `algorithm` → `ppo`; `nil` when deselected (`critic: ~`).
public struct GroupChoice: Sendable, Equatable {
    public let group: String
    public let option: String?

    public init(group: String, option: String?) {
        self.group = group
        self.option = option
    }
}
