import MazeConfig
import MazeCore
import MazeEnvs
import MazePerception
import MazeService
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
    /// The environment and its wrapper stack, as `maze run` builds them.
    public let env: EnvConfiguration

    /// What the config's names are looked up in (envs, wrappers, perception components).
    public let components: MazeComponents

    /// Parses `yaml`, naming envs and wrappers from `components`; fails with a message naming the offending key
    /// when a section the service needs is missing, or naming the env when `components` do not have it.
    public init(yaml: String, components: MazeComponents = .builtIn) throws {
        self.components = components
        root = ConfigSection(root: try ConfigNode(yaml: yaml, file: "<experiment config>"))
        let algorithm = try root.section("algorithm")
        algorithmName =
            algorithm.contains("n_optimization_epochs") ? "ppo" : algorithm.contains("vtrace_clip_rho_threshold") ? "impala" : "a2c"
        env = try EnvConfiguration(config: root, registries: components.registries)
    }

    /// The update rule configured in the `algorithm` section.
    public func algorithm() throws -> any ActorCriticAlgorithm {
        try AlgorithmFactory.make(algorithmName, section: root.section("algorithm"))
    }

    /// Rollouts per learner update: IMPALA's `actors_batch_size` (default 8), else the section's
    /// `actors_batch_size` if it has one, else 1; refused outside `1...SettingRanges.actorsBatchSize`.
    public func batchesPerUpdate() throws -> Int {
        if let impala = try algorithm() as? IMPALA { return impala.settings.actorsBatchSize }
        let section = try root.section("algorithm")
        let batches = section.contains("actors_batch_size") ? try section.int("actors_batch_size") : 1
        guard (1...SettingRanges.actorsBatchSize).contains(batches) else {
            throw TrainError.invalidSetting(
                key: "algorithm.actors_batch_size", problem: "must lie in 1...\(SettingRanges.actorsBatchSize), got \(batches)")
        }
        return batches
    }

    /// The model recipe of the `model` section.
    public func modelRecipe() throws -> ModelRecipe {
        try components.perception().recipe(model: root.section("model"))
    }

    /// `seeding.env_base_seed`, or `fallback` where the config leaves it to chance (`~`).
    public func envBaseSeed(fallback: UInt64) throws -> UInt64 {
        guard let seeding = root.nonNull("seeding"), let seed = seeding.nonNull("env_base_seed") else { return fallback }
        return UInt64(truncatingIfNeeded: try seed.int())
    }

    /// A fresh environment: `env` wrapped in the `wrappers` stack.
    public func makeEnv() throws -> any StructuredEnv {
        try env.makeEnv()
    }
}
