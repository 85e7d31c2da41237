/// Named factories of one kind of component, so configuration can name environments, wrappers and
/// policies. Lookups of unknown names fail with the nearest registered name as a suggestion.
public struct Registry<Factory>: Sendable where Factory: Sendable {
    /// What the registry holds, for error messages ("environment", "wrapper", "policy").
    public let kind: String
    private var factories: [String: Factory] = [:]

    public init(kind: String) { self.kind = kind }

    /// Every registered name, sorted.
    public var names: [String] { factories.keys.sorted() }

    /// Registers `factory` under `name` and any `aliases` (e.g. Maze's full Python path); a name
    /// registered again is replaced.
    public mutating func register(_ name: String, aliases: [String] = [], _ factory: Factory) {
        for key in [name] + aliases { factories[key] = factory }
    }

    /// The factory registered as `name`.
    public func factory(named name: String) throws(MazeError) -> Factory {
        if let factory = factories[name] { return factory }
        throw .unknownName(kind: kind, name: name, suggestion: nearestName(to: name))
    }

    private func nearestName(to name: String) -> String? {
        names.min { editDistance(name.lowercased(), $0.lowercased()) < editDistance(name.lowercased(), $1.lowercased()) }
    }
}

/// Levenshtein distance between two strings, over characters.
func editDistance(_ lhs: String, _ rhs: String) -> Int {
    let left = Array(lhs)
    let right = Array(rhs)
    guard !left.isEmpty else { return right.count }
    var previous = Array(0...right.count)
    var current = [Int](repeating: 0, count: right.count + 1)
    for i in 1...left.count {
        current[0] = i
        for j in stride(from: 1, through: right.count, by: 1) {
            let substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1)
            current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        swap(&previous, &current)
    }
    return previous[right.count]
}

/// Builds an environment from its parameters.
public typealias EnvFactory = @Sendable (ComponentArguments) throws -> any StructuredEnv
/// Wraps an environment given the wrapper's parameters.
public typealias WrapperFactory = @Sendable (any StructuredEnv, ComponentArguments, Registries) throws -> any StructuredEnv
/// Builds a policy for an environment from its parameters.
public typealias PolicyFactory = @Sendable (ComponentArguments, any StructuredEnv) throws -> any Policy

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

    /// Builds the environment `name` with `arguments`.
    public func makeEnv(_ name: String, _ arguments: ComponentArguments = [:]) throws -> any StructuredEnv {
        try envs.factory(named: name)(arguments)
    }

    /// Wraps `env` with the wrappers in `stack`, innermost first (the order of a Maze wrapper config).
    public func wrap(_ env: any StructuredEnv, with stack: [(name: String, arguments: ComponentArguments)]) throws
        -> any StructuredEnv
    {
        var wrapped = env
        for (name, arguments) in stack {
            wrapped = try wrappers.factory(named: name)(wrapped, arguments, self)
        }
        return wrapped
    }

    /// Builds the policy `name` for `env` with `arguments`.
    public func makePolicy(_ name: String, _ arguments: ComponentArguments = [:], for env: any StructuredEnv) throws
        -> any Policy
    {
        try policies.factory(named: name)(arguments, env)
    }
}
