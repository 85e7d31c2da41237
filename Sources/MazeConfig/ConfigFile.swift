import Foundation

/// A config file as composition sees it: content without its `defaults` key, the parsed defaults
/// list, and the `# @package` directive from its header.
struct ConfigFile {
    /// The config's name within the search path, e.g. `conf_train` or `algorithm/ppo`.
    let name: String
    /// The group folder the file lives in (`""` for root configs).
    let group: String
    let packageDirective: String?
    let content: ConfigNode
    let defaults: [DefaultsEntry]

    /// Loads `<group>/<option>.yaml` (or a root config for group `""`) from the first search-path folder
    /// that has it; `nil` when no folder does.
    static func load(group: String, option: String, from searchPath: ConfigSearchPath) throws -> ConfigFile? {
        let name = group.isEmpty ? option : group + "/" + option
        guard let url = searchPath.file(named: name) else { return nil }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ConfigError.invalidFile(file: url.path, problem: "cannot read: \(error.localizedDescription)")
        }
        var content = try YAMLReader.parse(text, file: url.path)
        if content == .null { content = .emptyMap }
        guard case .map(var map) = content else {
            throw ConfigError.invalidFile(file: url.path, problem: "a config file must contain a map")
        }
        let defaults =
            try map["defaults"].map {
                try DefaultsListParser.parse($0, parentGroup: group, file: url.path)
            } ?? []
        map["defaults"] = nil
        return ConfigFile(
            name: name, group: group, packageDirective: YAMLReader.packageDirective(in: text),
            content: .map(map), defaults: defaults)
    }
}
