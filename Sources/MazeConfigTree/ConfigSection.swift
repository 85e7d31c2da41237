/// A subtree of a configuration together with its full key path, so typed reads fail with messages
/// that name the whole path (`algorithm.lr: expected a number, got "abc"`) even inside a component
/// that only sees its own section.
public struct ConfigSection: Sendable, Equatable {
    /// The key path from the configuration root to this section (empty for the root).
    public let path: [String]
    /// The value of this section.
    public let node: ConfigNode

    /// The root section of a configuration tree.
    public init(root: ConfigNode) {
        self.init(path: [], node: root)
    }

    package init(path: [String], node: ConfigNode) {
        self.path = path
        self.node = node
    }

    /// The section at a dotted key relative to this one (`"rollout_evaluator"`, `"model_builder.modality_config"`).
    public func section(_ key: String) throws -> ConfigSection {
        var current = self
        for segment in keyPathSegments(key) {
            guard let child = current.node[segment] else {
                let missing = (current.path + [segment]).joined(separator: ".")
                let prefix = current.path.map { $0 + "." }.joined()
                let candidates = current.node.allKeyPaths.map { prefix + $0 }
                throw ConfigError.keyNotFound(
                    path: missing, suggestion: NearestMatch.suggestion(for: missing, among: candidates))
            }
            current = ConfigSection(path: current.path + [segment], node: child)
        }
        return current
    }

    /// The section at a dotted key, or `nil` when the key is absent or `null` (`~`), for settings such as
    /// `seeding.env_base_seed` where null means "not set".
    public func nonNull(_ key: String) -> ConfigSection? {
        guard contains(key), let found = try? section(key), !found.isNull else { return nil }
        return found
    }

    /// Whether a dotted key exists below this section.
    public func contains(_ key: String) -> Bool {
        node.node(at: keyPathSegments(key)) != nil
    }

    /// The dotted full path of this section, `<root>` for the root.
    public var dottedPath: String {
        path.isEmpty ? "<root>" : path.joined(separator: ".")
    }

    /// The keys of this section if it is a map (in order), otherwise a type error.
    public func keys() throws -> [String] {
        guard case .map(let map) = node else { throw mismatch("a map") }
        return map.keys
    }

    /// The entries of this section if it is a map, in order, each as a section whose `key` is the entry's key.
    /// Unlike `section(_:)` this does not split keys at dots, so Maze's wrapper keys such as
    /// `maze.core.wrappers.time_limit_wrapper.TimeLimitWrapper` stay whole.
    public func entries() throws -> [ConfigSection] {
        guard case .map(let map) = node else { throw mismatch("a map") }
        return map.entries.map { ConfigSection(path: path + [$0.key], node: $0.value) }
    }

    /// The last key of this section's path (a map key or list index), `nil` for the root.
    public var key: String? { path.last }

    /// The elements of this section if it is a list, each as a section addressed by its index.
    public func elements() throws -> [ConfigSection] {
        guard case .list(let items) = node else { throw mismatch("a list") }
        return items.enumerated().map { ConfigSection(path: path + [String($0.offset)], node: $0.element) }
    }

    /// This section's value as a string.
    public func string() throws -> String {
        guard case .string(let text) = node else { throw mismatch("a string") }
        return text
    }

    /// This section's value as an integer.
    public func int() throws -> Int {
        guard case .int(let value) = node else { throw mismatch("an integer") }
        return value
    }

    /// This section's value as a floating-point number; integers are accepted and converted.
    public func double() throws -> Double {
        switch node {
        case .double(let value): return value
        case .int(let value): return Double(value)
        default: throw mismatch("a number")
        }
    }

    /// This section's value as a boolean.
    public func bool() throws -> Bool {
        guard case .bool(let value) = node else { throw mismatch("a boolean") }
        return value
    }

    /// Whether this section's value is `null` (YAML `~`).
    public var isNull: Bool { node == .null }

    /// Reads the string at a dotted key below this section.
    public func string(_ key: String) throws -> String { try section(key).string() }
    /// Reads the integer at a dotted key below this section.
    public func int(_ key: String) throws -> Int { try section(key).int() }
    /// Reads the number at a dotted key below this section.
    public func double(_ key: String) throws -> Double { try section(key).double() }
    /// Reads the boolean at a dotted key below this section.
    public func bool(_ key: String) throws -> Bool { try section(key).bool() }

    private func mismatch(_ expected: String) -> ConfigError {
        .typeMismatch(path: dottedPath, expected: expected, got: node.summary)
    }
}
