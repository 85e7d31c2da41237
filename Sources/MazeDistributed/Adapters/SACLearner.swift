import Foundation
import MazeCore
import MazePerception
import MazeService
import MazeTensor
import MazeTrain
import MazeWire

/// The learning half of a SAC experiment (`algorithm=sac|sacfd`) on the learner service, Maze's distributed SAC:
/// the actors act with the stochastic policy and send trajectory batches, the learner splits them into transitions
/// `(s, a, r, s′, terminated)` for its replay buffer and trains SAC's networks (``SoftActorCriticModel``) from it,
/// in a ``ServiceLearner`` like the other algorithms.
///
/// One update is one of Maze's iterations: `rollouts_per_iteration` batches of any policy version, then the gradient
/// steps the env steps they bring are owed at the dev runner's rate (``SoftActorCritic/gradientStepsPerEnvStep``:
/// `num_batches_per_iter` per `rollouts_per_iteration × n_rollout_steps × num_actors` env steps), none before the
/// buffer holds `initial_buffer_size` transitions; the service then broadcasts the new weights. Until the buffer is
/// that full, the broadcast's auxiliary tensors carry ``SACActingPolicy/initialSamplingKey``: the actors then act
/// with `initial_sampling_policy` (uniformly random actions) instead of the policy. With
/// `runner.initial_demonstration_trajectories` (SACfD) the buffer starts from those files, read on the learner.
///
/// Only the policy's parameters (`policy.…`) are broadcast: the actors need no critics. Checkpoints hold the online
/// weights and the optimizer state; a resumed experiment starts with an empty replay buffer, filled again with
/// `initial_buffer_size` random steps, and its target critics and α start afresh, as with `input_dir` in one process.
package typealias SACLearner = ServiceLearner<SoftActorCriticModel>

extension ServiceLearner where Model == SoftActorCriticModel {
    /// Builds SAC's networks, optimizer, replay buffer and evaluator from `config` (see ``ServiceLearner``); with
    /// `runner.initial_demonstration_trajectories` the replay buffer starts from those files.
    package init(
        config: ExperimentConfig, configYAML: String, outputDirectory: URL?,
        commandLine: [String] = CommandLine.arguments, seed: UInt64 = 0,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        guard let sac = try config.algorithm() as? SoftActorCritic else {
            throw AdapterError.unsupported("SACLearner trains algorithm=sac or sacfd, got \(config.algorithmName)")
        }
        let recipe = try config.modelRecipe()
        let runner = try config.root.nonNull("runner").map { try SACRunnerSettings($0) } ?? SACRunnerSettings()
        try self.init(
            config: config, configYAML: configYAML, outputDirectory: outputDirectory, commandLine: commandLine,
            seed: seed, log: log,
            makeTraining: { _ in
                SACTraining(sac: sac, needs: try sac.serviceNeeds(config.root.section("algorithm")), recipe: recipe)
            },
            makeModel: { env in
                guard env.agentCounts.count == 1 else {
                    throw AdapterError.unsupported("SAC trains single-step envs; this env has sub-steps")
                }
                if let demonstrations = runner.demonstrations {
                    let count = try sac.seedReplayBuffer(
                        from: demonstrations, observationSpace: env.observationSpace, actionSpace: env.actionSpace)
                    log(
                        "SACfD: the replay buffer starts with \(count) demonstration transitions from "
                            + demonstrations.inputData.joined(separator: ", "))
                }
                return try SoftActorCriticModel(
                    recipe: recipe, observationSpace: env.observationSpace, actionSpace: env.actionSpace, seed: seed)
            })
    }

    /// Transitions in the replay buffer.
    package var replayCount: Int { (session.algorithm as? SoftActorCritic)?.replayCount ?? 0 }

    /// Gradient steps taken so far.
    package var gradientSteps: Int { (session.algorithm as? SoftActorCritic)?.gradientStepCount ?? 0 }
}

/// SAC's update on the service: the batches become transitions in the replay buffer, then the gradient steps the
/// env steps they brought are owed (``SoftActorCritic/updateFromActors``).
struct SACTraining: LearnerTraining {
    let sac: SoftActorCritic
    let needs: ServiceNeeds
    let recipe: ModelRecipe
    /// The last update's rollout, whose storage the next one is assembled into.
    private var rollout: RolloutBuffer?

    init(sac: SoftActorCritic, needs: ServiceNeeds, recipe: ModelRecipe) {
        (self.sac, self.needs, self.recipe) = (sac, needs, recipe)
    }

    var algorithm: any TrainingAlgorithm { sac }

    /// The env's layout; the squashed Gaussian never leaves a Box's bounds, so a batch whose actions do is rejected.
    func batchSchema(env: any StructuredEnv, model: SoftActorCriticModel) throws -> BatchSchema {
        try BatchSchema(env: env, recipe: recipe, steps: sac.common.nRolloutSteps).boundingBoxActions(
            of: env.actionSpace)
    }

    mutating func update(_ session: TrainingSession<SoftActorCriticModel>, with batches: [TrajectoryBatch]) throws
        -> [TrajectoryBatch]
    {
        let rollout = try RolloutAssembly.assemble(batches, into: &rollout)
        let (sac, trainPolicy, tape) = (sac, session.trainsPolicy, session.tape)
        try session.update(rolloutSeconds: nil, samples: rollout.count, validate: Self.guardNumerics) {
            model, optimizer, random, statistics in
            try sac.updateFromActors(
                rollout, model: &model, optimizer: &optimizer, random: &random, trainPolicy: trainPolicy,
                statistics: &statistics, tape: tape)
        }
        return batches
    }

    /// What a SAC learner broadcasts: the policy's parameters, the normalization statistics and, while the replay
    /// buffer is below `initial_buffer_size`, the initial-sampling flag.
    func publication(of session: TrainingSession<SoftActorCriticModel>, into weights: inout [String: WireTensor])
        throws -> [String: WireTensor]
    {
        let model = session.model
        var policy = ParameterStore()
        for name in model.parameters.names where !model.isCriticParameter(name) {
            policy[name] = model.parameters[name]
        }
        var auxiliary = try WeightsCoding.auxiliary(session.normalization)
        if sac.isFillingInitialBuffer {
            auxiliary[SACActingPolicy.initialSamplingKey] = try WireTensor(shape: [1], values: [UInt8(1)])
        }
        try WeightsCoding.write(policy, into: &weights)
        return auxiliary
    }
}
