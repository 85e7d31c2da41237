/// Named factories of one kind of component, so configuration can name environments, wrappers and
/// policies. Lookups of unknown names fail with the nearest registered name as a suggestion.
///
/// Every factory declares the parameter keys it reads; ``arguments(_:for:)`` refuses any other key with the
/// nearest known one as suggestion, so a typo in `env.<arg>` or a wrapper setting is never silently ignored.
public struct Registry<Factory>: Sendable where Factory: Sendable {
    /// What the registry holds, for error messages ("environment", "wrapper", "policy").
    public let kind: String
    private var entries: [String: (keys: Set<String>, factory: Factory)] = [:]

    public init(kind: String) { self.kind = kind }

    /// Every registered name, sorted.
    public var names: [String] { entries.keys.sorted() }

    /// Registers `factory` under `name` and any `aliases` (e.g. Maze's full Python path); `keys` are the
    /// parameters the factory reads. A name registered again is replaced.
    public mutating func register(_ name: String, aliases: [String] = [], keys: Set<String>, _ factory: Factory) {
        for key in [name] + aliases { entries[key] = (keys, factory) }
    }

    /// The factory registered as `name`.
    public func factory(named name: String) throws(MazeError) -> Factory {
        try entry(named: name).factory
    }

    /// `arguments` for the factory `name`, after refusing every key it does not read (naming the key's full
    /// path and the nearest known key).
    package func arguments(_ arguments: ConfigSection, for name: String) throws -> ConfigSection {
        try arguments.refuseKeys(otherThan: try entry(named: name).keys)
        return arguments
    }

    private func entry(named name: String) throws(MazeError) -> (keys: Set<String>, factory: Factory) {
        if let entry = entries[name] { return entry }
        throw .unknownName(kind: kind, name: name, suggestion: NearestMatch.suggestion(for: name, among: names))
    }
}

/// Builds an environment from its parameters (the env config without `_target_`).
public typealias EnvFactory = @Sendable (ConfigSection) throws -> any StructuredEnv
/// Wraps an environment given the wrapper's parameters.
public typealias WrapperFactory = @Sendable (any StructuredEnv, ConfigSection, Registries) throws -> any StructuredEnv
/// Builds a policy for an environment from its parameters.
public typealias PolicyFactory = @Sendable (ConfigSection, any StructuredEnv) throws -> any Policy

/// The registries of environments, wrappers and policies that configuration names are resolved in.
///
/// ``builtIn`` holds MazeCore's wrappers and policies; other modules add theirs to a copy
/// (`var registries = Registries.builtIn; registries.envs.register(...)`).
public struct Registries: Sendable {
    public var envs = Registry<EnvFactory>(kind: "environment")
    public var wrappers = Registry<WrapperFactory>(kind: "wrapper")
    public var policies = Registry<PolicyFactory>(kind: "policy")

    /// Empty registries.
    public init() {}

    /// Builds the environment `name` with `arguments`; a key the env does not read is refused.
    public func makeEnv(_ name: String, _ arguments: ConfigSection = [:]) throws -> any StructuredEnv {
        try envs.factory(named: name)(try envs.arguments(arguments, for: name))
    }

    /// Wraps `env` with the wrappers in `stack`, innermost first (the order of a Maze wrapper config); a key a
    /// wrapper does not read is refused.
    public func wrap(_ env: any StructuredEnv, with stack: [(name: String, arguments: ConfigSection)]) throws
        -> any StructuredEnv
    {
        var wrapped = env
        for (name, arguments) in stack {
            wrapped = try wrappers.factory(named: name)(wrapped, try wrappers.arguments(arguments, for: name), self)
        }
        return wrapped
    }

    /// Builds the policy `name` for `env` with `arguments`; a key the policy does not read is refused.
    public func makePolicy(_ name: String, _ arguments: ConfigSection = [:], for env: any StructuredEnv) throws
        -> any Policy
    {
        try policies.factory(named: name)(try policies.arguments(arguments, for: name), env)
    }
}
