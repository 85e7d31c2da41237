import Foundation
import MazeCore
import MazePerception
import MazeService
import MazeTrain

/// The learning half of an A2C, PPO or IMPALA experiment: the algorithm's update on the rollouts assembled from the
/// actors' batches (``ServiceLearner``), broadcasting every parameter and the normalization statistics.
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
        let algorithm = try config.algorithm()
        let recipe = try config.modelRecipe()
        let rule = Rule(
            samples: { $0.count * algorithm.passesPerRollout },
            update: { rollout, model, optimizer, random, trainPolicy, statistics in
                try algorithm.update(
                    rollout, model: &model, optimizer: &optimizer, random: &random, trainPolicy: trainPolicy,
                    statistics: &statistics)
            },
            publication: { session in
                (
                    try WeightsCoding.wireTensors(session.model.parameters),
                    try WeightsCoding.auxiliary(session.normalization)
                )
            })
        try self.init(
            config: config, configYAML: configYAML, algorithm: algorithm, needs: config.serviceNeeds(),
            outputDirectory: outputDirectory, commandLine: commandLine, seed: seed, log: log, rule: rule
        ) { env in try ActorCriticModel(recipe: recipe, env: env, seed: seed) }
    }
}
