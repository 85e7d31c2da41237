import MazeConfig
import MazeCore
import MazeEnvs
import MazePerception
import MazeTrain

/// An experiment's composed training config (the YAML `maze submit` sends), read into what the learner and the
/// actors build from it: the environment with its wrapper stack, the model recipe and the algorithm.
///
/// The composed YAML no longer says which `algorithm=` option was chosen, so the option is recognised by the
/// keys only it has: `n_optimization_epochs` (PPO), `vtrace_clip_rho_threshold` (IMPALA), otherwise A2C.
public struct ExperimentConfig: Sendable {
    /// The composed config as a section tree.
    public let root: ConfigSection
    /// `a2c`, `ppo` or `impala`.
    public let algorithmName: String
    private let registries: Registries

    /// Parses `yaml`; fails with a message naming the offending key when a section the service needs is missing.
    public init(yaml: String, registries: Registries = .withMazeEnvs) throws {
        root = ConfigSection(root: try ConfigNode(yaml: yaml, file: "<experiment config>"))
        let algorithm = try root.section("algorithm")
        algorithmName =
            algorithm.contains("n_optimization_epochs") ? "ppo" : algorithm.contains("vtrace_clip_rho_threshold") ? "impala" : "a2c"
        self.registries = registries
    }

    /// The update rule configured in the `algorithm` section.
    public func algorithm() throws -> any ActorCriticAlgorithm {
        try AlgorithmFactory.make(algorithmName, section: root.section("algorithm"))
    }

    /// The model recipe of the `model` section.
    public func modelRecipe() throws -> ModelRecipe {
        try PerceptionRegistry.standard().recipe(model: root.section("model"))
    }

    /// `seeding.env_base_seed`, or `fallback` where the config leaves it to chance (`~`).
    public func envBaseSeed(fallback: UInt64) throws -> UInt64 {
        guard let seeding = root.nonNull("seeding"), let seed = seeding.nonNull("env_base_seed") else { return fallback }
        return UInt64(truncatingIfNeeded: try seed.int())
    }

    /// A fresh environment: `env` (Maze's `make_gym_maze_env` with a Gym id, or a registered env's name as its
    /// `_target_`) wrapped in the `wrappers` stack, innermost first.
    public func makeEnv() throws -> any StructuredEnv {
        let env = try root.section("env")
        var arguments = try Self.arguments(env)
        let target = try env.string("_target_")
        arguments["_target_"] = nil
        let name: String
        if target == "make_gym_maze_env" {
            name = try env.string("name")
            arguments["name"] = nil
        } else {
            name = target
        }
        var stack: [(name: String, arguments: ComponentArguments)] = []
        if let wrappers = root.nonNull("wrappers") {
            for entry in try wrappers.entries() { stack.append((entry.key ?? "", try Self.arguments(entry))) }
        }
        return try registries.wrap(registries.makeEnv(name, arguments), with: stack)
    }

    /// A section's entries as component arguments (`null` entries, such as an empty wrapper's, give no arguments).
    private static func arguments(_ section: ConfigSection) throws -> ComponentArguments {
        guard case .map = section.node else { return [:] }
        var arguments: ComponentArguments = [:]
        for entry in try section.entries() { arguments[entry.key ?? ""] = value(entry.node) }
        return arguments
    }

    private static func value(_ node: ConfigNode) -> ConfigValue {
        switch node {
        case .map(let map): .map(Dictionary(map.entries.map { ($0.key, value($0.value)) }, uniquingKeysWith: { _, last in last }))
        case .list(let items): .list(items.map(value))
        case .string(let text): .string(text)
        case .int(let number): .int(number)
        case .double(let number): .double(number)
        case .bool(let flag): .bool(flag)
        case .null: .null
        }
    }
}
