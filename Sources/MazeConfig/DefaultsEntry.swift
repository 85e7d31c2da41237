/// One item of a config file's defaults list.
enum DefaultsEntry: Equatable {
    /// `_self_`: where the file's own content is merged relative to its defaults.
    case selfContent
    /// `- name`: another config of the same folder, merged into the same package.
    case config(name: String)
    /// `- group: option` and its variants (`optional`, `override`, `/absolute`, `group@package`).
    case group(GroupDefault)
}

/// A group selection in a defaults list.
struct GroupDefault: Equatable {
    /// The absolute group path (`algorithm`, `env/sub`), already resolved against the parent's group.
    var group: String
    /// The path as written relative to the parent, used for the default package of nested groups.
    var relativeGroup: String?
    /// The `@package` of the entry, if any.
    var package: String?
    /// The chosen option; `nil` selects nothing (`~`). May contain `${group}` interpolations.
    var option: String?
    /// `optional`: a missing option file is skipped instead of being an error.
    var isOptional = false
    /// `override`: changes the choice of a group listed elsewhere instead of adding an entry.
    var isOverride = false
}

/// Parses defaults lists in both Hydra 1.1 form (`- optional group: x`, `- override /group: x`) and
/// the older form Maze also uses (`- group: x` followed by `optional: true` in the same item).
enum DefaultsListParser {
    static func parse(_ node: ConfigNode, parentGroup: String, file: String) throws -> [DefaultsEntry] {
        guard case .list(let items) = node else {
            throw ConfigError.invalidFile(file: file, problem: "'defaults' must be a list")
        }
        return try items.map { try entry($0, parentGroup: parentGroup, file: file) }
    }

    private static func entry(_ item: ConfigNode, parentGroup: String, file: String) throws -> DefaultsEntry {
        switch item {
        case .string("_self_"):
            return .selfContent
        case .string(let name):
            return .config(name: name)
        case .map(var map):
            var isOptional = false
            if map.keys.count == 2, case .bool(let flag)? = map["optional"] {
                isOptional = flag
                map["optional"] = nil
            }
            guard map.keys.count == 1, let (key, value) = map.entries.first else {
                throw ConfigError.invalidFile(file: file, problem: "defaults entry \(item.summary) must have one key")
            }
            return .group(
                try groupDefault(
                    key: key, value: value, isOptional: isOptional,
                    parentGroup: parentGroup, file: file))
        default:
            throw ConfigError.invalidFile(file: file, problem: "unsupported defaults entry \(item.summary)")
        }
    }

    private static func groupDefault(
        key: String, value: ConfigNode, isOptional: Bool, parentGroup: String, file: String
    ) throws -> GroupDefault {
        var words = key.split(separator: " ").map(String.init)
        var entry = GroupDefault(group: "", isOptional: isOptional)
        while words.count > 1 {
            switch words.removeFirst() {
            case "optional": entry.isOptional = true
            case "override": entry.isOverride = true
            case let keyword:
                throw ConfigError.invalidFile(file: file, problem: "unknown defaults keyword '\(keyword)' in '\(key)'")
            }
        }
        var groupText = words.first ?? ""
        if let at = groupText.firstIndex(of: "@") {
            entry.package = String(groupText[groupText.index(after: at)...])
            groupText = String(groupText[..<at])
        }
        if groupText.hasPrefix("/") {
            entry.group = String(groupText.dropFirst())
        } else {
            entry.relativeGroup = groupText
            entry.group = parentGroup.isEmpty ? groupText : parentGroup + "/" + groupText
        }
        switch value {
        case .null: entry.option = nil
        case .map, .list:
            throw ConfigError.invalidFile(file: file, problem: "group '\(groupText)' must name one option")
        default: entry.option = value.interpolationText
        }
        guard !entry.group.isEmpty else {
            throw ConfigError.invalidFile(file: file, problem: "empty group name in defaults entry '\(key)'")
        }
        return entry
    }
}
