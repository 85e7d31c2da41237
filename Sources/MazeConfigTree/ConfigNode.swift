/// One value of a configuration tree: the in-memory form of a YAML document after composition.
///
/// Maps keep the order in which their keys were written so that a composed config serialises back
/// to YAML in a stable, human-recognisable order.
public indirect enum ConfigNode: Sendable, Equatable {
    case map(ConfigMap)
    case list([ConfigNode])
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null

    /// An empty map, the neutral element of merging.
    public static let emptyMap = ConfigNode.map(ConfigMap())

    /// The map stored in this node, or `nil` for any other kind of value.
    public var mapValue: ConfigMap? {
        if case .map(let map) = self { return map }
        return nil
    }

    /// The direct child named `key` of a map, or the element at index `key` of a list.
    public subscript(key: String) -> ConfigNode? {
        switch self {
        case .map(let map):
            return map[key]
        case .list(let items):
            guard let index = Int(key), items.indices.contains(index) else { return nil }
            return items[index]
        default:
            return nil
        }
    }

    /// The node at a path of keys (list elements are addressed by their index), or `nil` if absent.
    public func node(at path: [String]) -> ConfigNode? {
        var current = self
        for key in path {
            guard let child = current[key] else { return nil }
            current = child
        }
        return current
    }

    /// A short human description used in error messages, e.g. `"abc"`, `3`, `a map`.
    package var summary: String {
        switch self {
        case .map: return "a map"
        case .list: return "a list"
        case .string(let text): return "\"\(text)\""
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .bool(let value): return String(value)
        case .null: return "null"
        }
    }

    /// The text a scalar contributes when interpolated into a longer string (`null` reads as `None`, as in Maze).
    package var interpolationText: String? {
        switch self {
        case .string(let text): return text
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .bool(let value): return String(value)
        case .null: return "None"
        case .map, .list: return nil
        }
    }
}

/// A string-keyed map that remembers insertion order; replacing a value keeps the key's position.
public struct ConfigMap: Sendable, Equatable {
    /// The keys in insertion order.
    public private(set) var keys: [String] = []
    private var values: [String: ConfigNode] = [:]

    /// Creates a map from key/value pairs; a repeated key keeps its first position and its last value.
    public init(_ entries: [(String, ConfigNode)] = []) {
        for (key, value) in entries { self[key] = value }
    }

    /// The value for `key`; assigning `nil` removes the key.
    public subscript(key: String) -> ConfigNode? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// The entries in insertion order.
    public var entries: [(key: String, value: ConfigNode)] {
        keys.compactMap { key in values[key].map { (key, $0) } }
    }

    public var isEmpty: Bool { keys.isEmpty }

    public static func == (lhs: ConfigMap, rhs: ConfigMap) -> Bool {
        lhs.keys == rhs.keys && lhs.values == rhs.values
    }
}
