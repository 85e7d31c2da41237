/// One command-line override in Hydra's syntax: `a.b=v` (change), `+a.b=v` (add), `++a.b=v` (add or
/// change), `~a.b` (delete), and the same forms for config groups (`algorithm=ppo`, `+experiment=x`).
public struct Override: Sendable, Equatable {
    /// What the override does to its key.
    public enum Action: Sendable, Equatable {
        /// `key=value`: the key (or group) must already exist.
        case change
        /// `+key=value`: the key (or group) must not exist yet.
        case add
        /// `++key=value`: add the key, or change it if it exists.
        case forceAdd
        /// `~key` or `~key=value`: remove the key (or deselect the group).
        case delete
    }

    /// What the override does.
    public private(set) var action: Action
    /// The dotted key (`algorithm.lr`) or group path (`algorithm`, `env/sub`).
    public let key: String
    /// The value, or `nil` for a delete without value.
    public let value: OverrideValue?
    /// The override as written on the command line.
    public let text: String

    /// Parses one override; malformed input is an `invalidOverride` error that quotes it.
    public init(parsing text: String) throws {
        self.text = text
        var rest = Substring(text)
        if rest.hasPrefix("++") {
            action = .forceAdd
            rest = rest.dropFirst(2)
        } else if rest.hasPrefix("+") {
            action = .add
            rest = rest.dropFirst()
        } else if rest.hasPrefix("~") {
            action = .delete
            rest = rest.dropFirst()
        } else {
            action = .change
        }
        let keyText: Substring
        if let equals = rest.firstIndex(of: "=") {
            keyText = rest[..<equals]
            var parser = OverrideValueParser(text: String(rest[rest.index(after: equals)...]), override: text)
            value = try parser.parse()
        } else {
            guard action == .delete else {
                throw ConfigError.invalidOverride(override: text, problem: "expected KEY=VALUE")
            }
            keyText = rest
            value = nil
        }
        key = keyText.trimmingCharacters(in: .whitespaces)
        let allowed = key.allSatisfy { $0.isLetter || $0.isNumber || "_.-/".contains($0) }
        guard !key.isEmpty, allowed, !key.hasPrefix("."), !key.hasSuffix(".") else {
            throw ConfigError.invalidOverride(override: text, problem: "'\(key)' is not a valid key")
        }
    }

    /// An override built in code (e.g. by RunContext) rather than parsed; `value` may be any tree.
    /// Its `text` is the equivalent command-line form.
    public init(_ action: Action = .change, key: String, value: ConfigNode) {
        self.action = action
        self.key = key
        self.value = .single(value)
        self.text = Override.prefix(of: action) + key + "=" + value.overrideText
    }

    /// The same override as `++key=value`, for settings that need no existing key (`hydra.run.dir`).
    var forcingAdd: Override {
        var copy = self
        if action != .delete { copy.action = .forceAdd }
        return copy
    }

    private static func prefix(of action: Action) -> String {
        switch action {
        case .change: return ""
        case .add: return "+"
        case .forceAdd: return "++"
        case .delete: return "~"
        }
    }

    /// The override with a sweep narrowed to one of its values, written back as command-line text.
    func narrowed(toSweepElement index: Int) -> String {
        guard case .sweep(let elements) = value else { return text }
        return Override.prefix(of: action) + key + "=" + elements[index].text
    }
}

/// The right-hand side of an override.
public enum OverrideValue: Sendable, Equatable {
    /// One value.
    case single(ConfigNode)
    /// A comma-separated list of values to sweep over with `--multirun`.
    case sweep([SweepElement])
}

/// One value of a sweep, with the text it was written as (so each job's override reads like the user's).
public struct SweepElement: Sendable, Equatable {
    public let value: ConfigNode
    public let text: String
}
