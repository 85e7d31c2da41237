/// Builds components (environments, wrappers, models, algorithms, …) from configuration by name.
///
/// Modules register a builder per name; a config section selects one through its `_target_` key.
/// Maze's dotted Python paths also resolve by their last component, so
/// `maze.core.wrappers.time_limit_wrapper.TimeLimitWrapper` finds `TimeLimitWrapper`.
public struct ComponentRegistry<Component>: Sendable {
    /// Builds a component from its config section (whose path names errors precisely).
    public typealias Builder = @Sendable (ConfigSection) throws -> Component

    /// What the registry holds, for error messages (`env`, `wrapper`, …).
    public let kind: String
    private var builders: [String: Builder] = [:]

    public init(kind: String) {
        self.kind = kind
    }

    /// The registered names, sorted.
    public var names: [String] { builders.keys.sorted() }

    /// Registers a builder; registering the same name twice is an error, so one cannot silently replace another.
    public mutating func register(_ name: String, builder: @escaping Builder) throws {
        guard builders[name] == nil else { throw ConfigError.duplicateComponent(kind: kind, name: name) }
        builders[name] = builder
    }

    /// Builds the component registered as `name` from `config`.
    public func make(_ name: String, config: ConfigSection) throws -> Component {
        let shortName = name.split(separator: ".").last.map(String.init) ?? name
        guard let builder = builders[name] ?? builders[shortName] else {
            throw ConfigError.unknownComponent(
                kind: kind, name: name, available: names,
                suggestion: NearestMatch.suggestion(for: shortName, among: names))
        }
        return try builder(config)
    }

    /// Builds the component named by the section's `_target_` key.
    public func make(from config: ConfigSection) throws -> Component {
        try make(config.string("_target_"), config: config)
    }
}
