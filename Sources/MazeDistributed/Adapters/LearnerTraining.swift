import MazeCore
import MazePerception
import MazeService
import MazeTensor
import MazeTrain
import MazeWire

/// What differs between the algorithms a ``ServiceLearner`` trains on the service: the update rule, what it needs
/// from the service (batches per update, staleness), the layout of its batches, how one update's batches become a
/// step of the ``TrainingSession``, and what is broadcast afterwards (``RolloutTraining`` for the actor-critics,
/// ``ESTraining`` for Evolution Strategies, ``SACTraining`` for SAC). Everything else — epochs, evaluation,
/// outputs, checkpoints — is the learner's, the same for all.
///
/// Threading: used on the learner's service thread only.
protocol LearnerTraining<Model> {
    associatedtype Model: ActorCritic & Sendable

    var algorithm: any TrainingAlgorithm { get }
    var needs: ServiceNeeds { get }

    /// The layout every batch must have, for the experiment's (evaluation) `env` and the `model` built for it;
    /// throws when the model does not fit the algorithm's settings.
    func batchSchema(env: any StructuredEnv, model: Model) throws -> BatchSchema

    /// One update of `session` from `batches` (throws ``MazeService/NonFiniteUpdate`` when the numeric guard undid
    /// it); returns the batches whose episodes are the epoch's training episodes.
    mutating func update(_ session: TrainingSession<Model>, with batches: [TrajectoryBatch]) throws
        -> [TrajectoryBatch]

    /// Writes the weights to broadcast after an update into `weights` (``WeightsCoding/write(_:into:)``: in place
    /// where it can) and returns the auxiliary tensors.
    func publication(of session: TrainingSession<Model>, into weights: inout [String: WireTensor]) throws
        -> [String: WireTensor]
}

extension LearnerTraining {
    /// The numeric guard: an update whose parameters or figures are not finite is undone.
    static func guardNumerics(_ parameters: ParameterStore, _ statistics: LearnerStatistics) throws {
        if let problem = NumericGuard.problem(parameters: parameters, statistics: statistics) {
            throw NonFiniteUpdate(problem)
        }
    }
}

extension LearnerTraining where Model == ActorCriticModel {
    /// Every parameter and the observation normalization statistics.
    func publication(of session: TrainingSession<ActorCriticModel>, into weights: inout [String: WireTensor]) throws
        -> [String: WireTensor]
    {
        try WeightsCoding.write(session.model.parameters, into: &weights)
        return try WeightsCoding.auxiliary(session.normalization)
    }
}

/// IMPALA, PPO and A2C: the batches are assembled into one rollout (``RolloutAssembly``) for one update.
struct RolloutTraining: LearnerTraining {
    let rule: any ActorCriticAlgorithm
    let recipe: ModelRecipe
    let needs: ServiceNeeds
    /// The last update's rollout, whose storage the next one is assembled into.
    private var rollout: RolloutBuffer?

    init(_ config: ExperimentConfig) throws {
        rule = try config.algorithm()
        needs = try config.serviceNeeds()
        recipe = try config.modelRecipe()
    }

    var algorithm: any TrainingAlgorithm { rule }

    /// The env's layout; a recurrent model's batches also carry the initial state of their segment.
    func batchSchema(env: any StructuredEnv, model: ActorCriticModel) throws -> BatchSchema {
        var schema = try BatchSchema(env: env, recipe: recipe, steps: rule.common.nRolloutSteps)
        schema.initialStateWidth = model.recurrentStateWidth
        return schema
    }

    mutating func update(_ session: TrainingSession<ActorCriticModel>, with batches: [TrajectoryBatch]) throws
        -> [TrajectoryBatch]
    {
        try session.update(RolloutAssembly.assemble(batches, into: &rollout), validate: Self.guardNumerics)
        return batches
    }
}
