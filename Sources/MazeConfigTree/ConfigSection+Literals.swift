/// Component arguments written in code, e.g. `registries.makeEnv("cutting_2d", ["max_pieces_in_inventory": 10])`
/// or a test's env parameters: a root section holding the map, in the order written.
extension ConfigSection: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, ConfigNode)...) {
        self.init(root: .map(ConfigMap(elements)))
    }
}

extension ConfigSection {
    /// This map section without `keys` (e.g. `_target_`, or the bridge's own keys), keeping its path, so a
    /// component reads only its parameters and errors still name the full key.
    package func removing(_ keys: Set<String>) -> ConfigSection {
        guard case .map(let map) = node else { return self }
        return ConfigSection(path: path, node: .map(ConfigMap(map.entries.filter { !keys.contains($0.key) })))
    }
}
