import Foundation
import MazeCore
import MazePerception
import MazeService
import MazeTrain

/// The learning half of an A2C, PPO or IMPALA experiment — the algorithm's update on the rollouts assembled from the
/// actors' batches (``RolloutTraining``) — or of Evolution Strategies, whose actors evaluate perturbations of the
/// policy (``ESTraining``); both broadcast every parameter and the normalization statistics (``ServiceLearner``).
public typealias ActorCriticLearner = ServiceLearner<ActorCriticModel>

extension ServiceLearner where Model == ActorCriticModel {
    /// The learner of a submitted experiment, writing into `outputsDirectory/<id>/` with the submitter's command line;
    /// the config's names are looked up in `components`; `log` receives the console lines (the statistics table).
    public init(
        record: ExperimentRecord, outputsDirectory: URL, components: MazeComponents = .builtIn,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        let submitted = try Self.submitted(record, outputsDirectory: outputsDirectory, components: components)
        if let note = submitted.config.algorithmNote { log("\(record.id): \(note)") }
        try self.init(
            config: submitted.config, configYAML: record.configYAML, outputDirectory: submitted.directory,
            commandLine: submitted.commandLine, log: log)
    }

    /// Builds model, optimizer and evaluator from `config`; `outputDirectory` receives the statistics and the
    /// best model (`nil` keeps them in memory), `commandLine` goes to its `command.txt`.
    public init(
        config: ExperimentConfig, configYAML: String, outputDirectory: URL?,
        commandLine: [String] = CommandLine.arguments, seed: UInt64 = 0,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        let recipe = try config.isEvolutionStrategies ? config.esPolicyRecipe() : config.modelRecipe()
        try self.init(
            config: config, configYAML: configYAML, outputDirectory: outputDirectory, commandLine: commandLine,
            seed: seed, log: log,
            makeTraining: { log -> any LearnerTraining<ActorCriticModel> in
                if config.isEvolutionStrategies { return try ESTraining(config, log: log) }
                return try RolloutTraining(config)
            },
            makeModel: { env in try ActorCriticModel(recipe: recipe, env: env, seed: seed) })
    }
}
