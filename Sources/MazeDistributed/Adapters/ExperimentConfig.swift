import MazeConfig
import MazeCore
import MazeEnvs
import MazePerception
import MazeService
import MazeTrain

/// An experiment's composed training config (the YAML `maze submit` sends) and its `algorithm=` option, read into
/// what the learner and the actors build from it: the environment with its wrapper stack, the model recipe and the
/// algorithm.
public struct ExperimentConfig: Sendable {
    /// The composed config as a section tree.
    public let root: ConfigSection
    /// `a2c`, `ppo`, `impala` or `es`.
    public let algorithmName: String
    /// Set when the experiment did not name its algorithm (a record or submitter that predates the field) and the
    /// option was recognised from the config's keys instead; says so, for the learner's log.
    public let algorithmNote: String?
    /// The environment and its wrapper stack, as `maze run` builds them.
    public let env: EnvConfiguration

    /// What the config's names are looked up in (envs, wrappers, perception components).
    public let components: MazeComponents

    /// Parses `yaml` composed with the `algorithm=` option `algorithm`, naming envs and wrappers from `components`;
    /// fails with a message naming the offending key when a section the service needs is missing, or naming the env
    /// when `components` do not have it. Without `algorithm` (records that predate the field) the option is
    /// recognised by the keys only it has, and ``algorithmNote`` says so.
    public init(yaml: String, algorithm: String?, components: MazeComponents = .builtIn) throws {
        self.components = components
        root = ConfigSection(root: try ConfigNode(yaml: yaml, file: "<experiment config>"))
        let section = try root.section("algorithm")
        if let algorithm {
            algorithmName = algorithm
            algorithmNote = nil
        } else {
            algorithmName = Self.recognisedAlgorithm(section)
            algorithmNote =
                "the experiment does not name its algorithm (submitted by an older maze); "
                + "recognised algorithm=\(algorithmName) from its keys"
        }
        env = try EnvConfiguration(config: root, registries: components.registries)
    }

    /// How experiments were told apart before they named their algorithm: by the keys only it has,
    /// `n_optimization_epochs` (PPO), `vtrace_clip_rho_threshold` (IMPALA), otherwise A2C.
    private static func recognisedAlgorithm(_ section: ConfigSection) -> String {
        section.contains("n_optimization_epochs")
            ? "ppo" : section.contains("vtrace_clip_rho_threshold") ? "impala" : "a2c"
    }

    /// The update rule configured in the `algorithm` section.
    public func algorithm() throws -> any ActorCriticAlgorithm {
        try AlgorithmFactory.make(algorithmName, section: root.section("algorithm"))
    }

    /// What the algorithm needs from the service: rollouts per update (`actors_batch_size`, refused by key outside
    /// `1...SettingRanges.actorsBatchSize`) and how stale they may be.
    public func serviceNeeds() throws -> ServiceNeeds {
        if isEvolutionStrategies { return ESUpdatePlan(try esSettings()).serviceNeeds }
        return try algorithm().serviceNeeds(root.section("algorithm"))
    }

    /// Rollouts per learner update (see ``serviceNeeds()``).
    public func batchesPerUpdate() throws -> Int {
        try serviceNeeds().actorsBatchSize
    }

    /// `runner.normalization_samples` (1000 when the config has no runner section or leaves it out).
    public func normalizationSamples() throws -> Int {
        guard let runner = root.nonNull("runner") else { return DevRunnerSettings().normalizationSamples }
        return try DevRunnerSettings(runner).normalizationSamples
    }

    /// The number of evaluation envs (`runner.eval_concurrency`, see ``DevRunnerSettings/evaluationEnvCount``).
    public func evaluationEnvCount() throws -> Int {
        try root.nonNull("runner").map(DevRunnerSettings.init)?.evaluationEnvCount
            ?? DevRunnerSettings().evaluationEnvCount
    }

    /// The model recipe of the `model` section.
    public func modelRecipe() throws -> ModelRecipe {
        try components.perception().recipe(model: root.section("model"))
    }

    /// `seeding.env_base_seed`, or `fallback` where the config leaves it to chance (`~`).
    public func envBaseSeed(fallback: UInt64) throws -> UInt64 {
        guard let seeding = root.nonNull("seeding"), let seed = seeding.nonNull("env_base_seed") else {
            return fallback
        }
        return UInt64(truncatingIfNeeded: try seed.int())
    }

    /// A fresh environment: `env` wrapped in the `wrappers` stack.
    public func makeEnv() throws -> any StructuredEnv {
        try env.makeEnv()
    }
}
