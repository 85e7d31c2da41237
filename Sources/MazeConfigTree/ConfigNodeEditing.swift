/// Structural edits on a configuration tree: deep merge and path-addressed set/remove.
extension ConfigNode {
    /// Deep-merges `other` over `self`: maps merge key by key, anything else is replaced by `other`.
    public func merging(_ other: ConfigNode) -> ConfigNode {
        guard case .map(var base) = self, case .map(let overlay) = other else { return other }
        for (key, value) in overlay.entries {
            base[key] = base[key].map { $0.merging(value) } ?? value
        }
        return .map(base)
    }

    /// Deep-merges `other` at `path`, creating intermediate maps as needed.
    package func merging(_ other: ConfigNode, at path: [String]) -> ConfigNode {
        guard let head = path.first else { return merging(other) }
        var map = mapValue ?? ConfigMap()
        let child = map[head] ?? .emptyMap
        map[head] = child.merging(other, at: Array(path.dropFirst()))
        return .map(map)
    }

    /// Sets the value at `path`, creating intermediate maps; list elements are replaced by index.
    /// Returns `nil` when the path runs through a scalar or an out-of-range list index.
    package func setting(_ value: ConfigNode, at path: [String]) -> ConfigNode? {
        guard let head = path.first else { return value }
        let rest = Array(path.dropFirst())
        switch self {
        case .list(var items):
            guard let index = Int(head), items.indices.contains(index),
                let updated = items[index].setting(value, at: rest)
            else { return nil }
            items[index] = updated
            return .list(items)
        case .map(var map):
            guard let updated = (map[head] ?? .emptyMap).setting(value, at: rest) else { return nil }
            map[head] = updated
            return .map(map)
        case .null:
            return ConfigNode.emptyMap.setting(value, at: path)
        default:
            return nil
        }
    }

    /// Removes the value at `path`; returns `nil` when there is nothing to remove.
    package func removing(at path: [String]) -> ConfigNode? {
        guard let head = path.first else { return nil }
        let rest = Array(path.dropFirst())
        switch self {
        case .map(var map):
            guard let child = map[head] else { return nil }
            if rest.isEmpty {
                map[head] = nil
            } else {
                guard let updated = child.removing(at: rest) else { return nil }
                map[head] = updated
            }
            return .map(map)
        case .list(var items):
            guard let index = Int(head), items.indices.contains(index) else { return nil }
            if rest.isEmpty {
                items.remove(at: index)
            } else {
                guard let updated = items[index].removing(at: rest) else { return nil }
                items[index] = updated
            }
            return .list(items)
        default:
            return nil
        }
    }

    /// Every key path in the tree (maps only, intermediate ones included), dotted; used for suggestions.
    package var allKeyPaths: [String] {
        guard case .map(let map) = self else { return [] }
        return map.entries.flatMap { key, value in
            [key] + value.allKeyPaths.map { "\(key).\($0)" }
        }
    }
}

/// Splits a dotted key such as `algorithm.lr` into its segments.
package func keyPathSegments(_ dotted: String) -> [String] {
    dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
}
