import Foundation
import MazeConfig
import MazeCore
import MazeReporting
import MazeTrain

/// Training and evaluation from Swift code, configured as on the command line (Maze's RunContext).
///
/// Components are chosen by their config group option (`algorithm: "a2c"`), any value can be set
/// through `overrides` (`["algorithm.lr": 0.001]`), and an env factory can stand in for the `env`
/// and `wrappers` groups:
///
/// ```swift
/// let context = try RunContext(envFactory: { try Registries.withMazeEnvs.makeEnv("CartPole-v1") }, algorithm: "ppo", silent: true)
/// try context.train(nEpochs: 5)
/// let stats = try context.evaluate(nEpisodes: 8)
/// ```
///
/// A user's own envs, wrappers, policies and perception blocks, registered in a ``MazeComponents`` value as for
/// their own `maze` executable, are named by configs as the built-in ones (`components:`).
public final class RunContext {
    /// The composed training config (before `train(nEpochs:)`'s epoch count).
    public let config: ComposedConfig
    /// Makes a fresh env with the configured wrappers (or the factory given at init).
    public let envFactory: @Sendable () throws -> any StructuredEnv
    /// Where training writes; chosen from the config at the first training unless given.
    public private(set) var runDir: URL?
    private let composer: ConfigComposer
    private let overrides: [Override]
    private let components: MazeComponents
    private let silent: Bool
    private let output: @Sendable (String) -> Void
    private var trained: TrainingRun.Outcome?
    private var trainedPolicy: ModelPolicy?

    /// A context for `conf_train` with the given group options and overrides.
    ///
    /// - Parameters:
    ///   - env: an `env` group option (e.g. `gym_env`); ignored when `envFactory` is given.
    ///   - envFactory: builds the (wrapped) environment; replaces the `env` and `wrappers` groups.
    ///   - policy: the `model.policy` section (the policy composer), as in Maze.
    ///   - runner: the training runner option; `dev` (one process) is the one available.
    ///   - overrides: values by dotted key, applied after the group choices.
    ///   - configDirectories: folders searched before the shipped `conf/`.
    ///   - runDir: the run folder (Hydra's `hydra.run.dir`); by default `outputs/<experiment>/<timestamp>/`.
    ///   - silent: no console output.
    ///   - components: what configs can name: envs, wrappers, policies and perception components.
    public init(
        env: String? = nil, envFactory: (@Sendable () throws -> any StructuredEnv)? = nil, wrappers: String? = nil,
        algorithm: String? = nil, model: String? = nil, policy: ConfigNode? = nil, critic: String? = nil,
        runner: String = "dev",
        overrides: [String: ConfigNode] = [:], configDirectories: [URL] = [], runDir: URL? = nil, silent: Bool = false,
        output: @escaping @Sendable (String) -> Void = ConsoleStatsWriter.standardOutput,
        components: MazeComponents = .builtIn
    ) throws {
        let groups = [
            ("env", env), ("wrappers", wrappers), ("algorithm", algorithm), ("model", model), ("critic", critic),
            ("runner", runner),
        ]
        var parsed = try groups.compactMap { group, option in try option.map { try Override(parsing: "\(group)=\($0)") }
        }
        if let policy { parsed.append(Override(key: "model.policy", value: policy)) }
        parsed += overrides.sorted { $0.key < $1.key }.map { Override(key: $0.key, value: $0.value) }
        let composer = ConfigComposer(
            searchPath: ConfigSearchPath(
                userDirectories: configDirectories, shippedDirectory: ConfigSearchPath.shippedDirectory()))
        config = try composer.compose(rootConfig: Self.rootConfig, overrides: parsed)
        self.composer = composer
        self.overrides = parsed
        let training = try TrainingRun(config, makeEnv: envFactory, components: components)
        self.envFactory = training.makeEnv
        self.runDir = runDir
        self.components = components
        self.silent = silent
        self.output = output
    }

    /// Trains from scratch for `nEpochs` epochs (the config's `algorithm.n_epochs` when nil) into ``runDir``.
    public func train(nEpochs: Int? = nil) throws {
        var composed = config
        if let nEpochs {
            guard nEpochs > 0 else {
                throw MazeRunError.invalidConfig(key: "n_epochs", problem: "must be at least 1, got \(nEpochs)")
            }
            composed = try composer.compose(
                rootConfig: Self.rootConfig,
                overrides: overrides + [Override(key: "algorithm.n_epochs", value: .int(nEpochs))])
        }
        let training = try TrainingRun(composed, makeEnv: envFactory, components: components)
        func train(in directory: URL) throws -> TrainingRun.Outcome {
            try training.run(in: directory, commandLine: CommandLine.arguments, silent: silent, output: output)
        }
        let outcome: TrainingRun.Outcome
        if let runDir {
            outcome = try train(in: runDir)
        } else {
            // A folder of its own, as `maze run` claims: two trainings started in the same second do not share one.
            (outcome, runDir) = try RunDirectory.claim(for: composed, date: Date()).use { path in
                let directory = URL(fileURLWithPath: path, isDirectory: true)
                return (try train(in: directory), directory)
            }
        }
        trained = outcome
        trainedPolicy = ModelPolicy(model: outcome.model, for: try envFactory())
    }

    private static let rootConfig = "conf_train"

    /// The trained policy (the best model of the last training).
    public var policy: ModelPolicy {
        get throws {
            guard let trainedPolicy else {
                throw MazeRunError.invalidConfig(key: "policy", problem: "train(nEpochs:) first")
            }
            return trainedPolicy
        }
    }

    /// The trained policy's action for `observation` of actor `actorID`.
    public func computeAction(observation: Observation, actorID: ActorID = .single, deterministic: Bool = false) throws
        -> Action
    {
        try policy.computeAction(observation: observation, actorID: actorID, deterministic: deterministic, env: nil)
    }

    /// Evaluates the trained policy with a rollout evaluator: `nEpisodes` whole episodes (the config's
    /// `rollout_evaluator.n_episodes` when nil); returns their statistics under `eval`.
    public func evaluate(nEpisodes: Int? = nil, deterministic: Bool = true) throws -> LogStats {
        guard let trained else { throw MazeRunError.invalidConfig(key: "evaluate", problem: "train(nEpochs:) first") }
        let env = LogStatsWrapper(
            try RolloutEvaluator.boundingEpisodes(of: envFactory(), warn: output), loggingPrefix: "eval")
        if let statistics = trained.normalization,
            let normalization = env.findWrapper(ObservationNormalizationWrapper.self)
        {
            normalization.statistics = statistics
        }
        let settings = EvaluatorSettings(
            deterministic: deterministic, nEpisodes: nEpisodes ?? trained.evaluationEpisodes)
        return try RolloutEvaluator(envs: [env], settings: settings, seed: trained.evaluationSeed).evaluate(
            trained.model
        ).stats
    }
}
