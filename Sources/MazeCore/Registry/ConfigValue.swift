/// A configuration value as it comes from YAML or code: the parameters of a registered component.
public enum ConfigValue: Sendable, Hashable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([ConfigValue])
    case map([String: ConfigValue])

    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: ConfigValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, ConfigValue)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }

    /// The value as a number (integers widen), or `nil`.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// The value as an integer (integral doubles narrow), or `nil`.
    public var intValue: Int? {
        switch self {
        case .int(let value): value
        case .double(let value) where value == value.rounded(): Int(exactly: value)
        default: nil
        }
    }
}

/// The named parameters of one component (environment, wrapper, policy).
public typealias ComponentArguments = [String: ConfigValue]

extension Dictionary where Key == String, Value == ConfigValue {
    private func typed<T>(_ key: String, _ typeName: String, _ extract: (ConfigValue) -> T?) throws(MazeError) -> T? {
        guard let value = self[key], value != .null else { return nil }
        guard let typed = extract(value) else {
            throw .invalidConfiguration("parameter '\(key)' must be \(typeName), got \(value)")
        }
        return typed
    }

    /// The integer parameter `key`, `nil` when absent or null; a wrong type is an error.
    public func int(_ key: String) throws(MazeError) -> Int? { try typed(key, "an integer") { $0.intValue } }
    /// The numeric parameter `key`, `nil` when absent or null; a wrong type is an error.
    public func double(_ key: String) throws(MazeError) -> Double? { try typed(key, "a number") { $0.doubleValue } }
    /// The boolean parameter `key`, `nil` when absent or null; a wrong type is an error.
    public func bool(_ key: String) throws(MazeError) -> Bool? {
        try typed(key, "a boolean") { if case .bool(let value) = $0 { value } else { nil } }
    }
    /// The text parameter `key`, `nil` when absent or null; a wrong type is an error.
    public func string(_ key: String) throws(MazeError) -> String? {
        try typed(key, "a string") { if case .string(let value) = $0 { value } else { nil } }
    }
    /// The list parameter `key`, `nil` when absent or null; a wrong type is an error.
    public func list(_ key: String) throws(MazeError) -> [ConfigValue]? {
        try typed(key, "a list") { if case .list(let value) = $0 { value } else { nil } }
    }
    /// The mapping parameter `key`, `nil` when absent or null; a wrong type is an error.
    public func map(_ key: String) throws(MazeError) -> [String: ConfigValue]? {
        try typed(key, "a mapping") { if case .map(let value) = $0 { value } else { nil } }
    }
    /// The list of numbers `key` (nulls become `nil` entries), `nil` when absent.
    public func doubles(_ key: String) throws(MazeError) -> [Double?]? {
        guard let list = try list(key) else { return nil }
        return try list.map { value throws(MazeError) in
            if value == .null { return nil }
            guard let number = value.doubleValue else {
                throw .invalidConfiguration("parameter '\(key)' must hold numbers, got \(value)")
            }
            return number
        }
    }
    /// The required parameter `key` read with `read`, or an error naming it.
    public func required<T>(_ key: String, _ read: (String) throws(MazeError) -> T?) throws(MazeError) -> T {
        guard let value = try read(key) else { throw .missingKey(key, available: keys.sorted()) }
        return value
    }
}
