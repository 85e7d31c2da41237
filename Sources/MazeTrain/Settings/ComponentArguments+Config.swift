import MazeConfig
import MazeCore

extension ConfigValue {
    /// The registry form of a composed config value, so config sections can parameterize components.
    public init(_ node: ConfigNode) {
        switch node {
        case .map(let map): self = .map(Dictionary(map.entries.map { ($0.key, ConfigValue($0.value)) }, uniquingKeysWith: { $1 }))
        case .list(let items): self = .list(items.map(ConfigValue.init))
        case .string(let text): self = .string(text)
        case .int(let number): self = .int(number)
        case .double(let number): self = .double(number)
        case .bool(let flag): self = .bool(flag)
        case .null: self = .null
        }
    }
}

extension ConfigSection {
    /// The entries of this map section as component arguments, without `_target_` and `keys` to skip.
    public func componentArguments(skipping keys: Set<String> = []) -> ComponentArguments {
        var arguments: ComponentArguments = [:]
        for (key, value) in node.mapValue?.entries ?? [] where key != "_target_" && !keys.contains(key) {
            arguments[key] = ConfigValue(value)
        }
        return arguments
    }
}
