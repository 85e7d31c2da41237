import MazeCore
import MazePerception
import MazeService
import MazeTensor
import MazeTrain
import MazeWire

/// What differs between the algorithms ``ActorCriticLearner`` trains on the service: the update rule with its model
/// recipe, what it needs from the service (batches per update, staleness), the layout of its batches, and how one
/// update's batches become a step of the ``TrainingSession`` (``RolloutTraining`` for the actor-critics,
/// ``ESTraining`` for Evolution Strategies). Everything else — epochs, evaluation, outputs, checkpoints, the
/// broadcast weights — is the learner's, the same for all.
///
/// Threading: used on the learner's service thread only.
protocol LearnerTraining {
    var algorithm: any TrainingAlgorithm { get }
    var recipe: ModelRecipe { get }
    var needs: ServiceNeeds { get }

    /// The layout every batch must have, for the experiment's (evaluation) `env`.
    func batchSchema(env: any StructuredEnv) throws -> BatchSchema

    /// Checks the model built from ``recipe`` before training starts.
    func check(_ model: ActorCriticModel) throws

    /// One update of `session` from `batches` (throws ``MazeService/NonFiniteUpdate`` when the numeric guard undid
    /// it); returns the batches whose episodes are the epoch's training episodes.
    mutating func update(_ session: TrainingSession<ActorCriticModel>, with batches: [TrajectoryBatch]) throws
        -> [TrajectoryBatch]
}

extension LearnerTraining {
    func check(_ model: ActorCriticModel) throws {}

    /// The numeric guard: an update whose parameters or figures are not finite is undone.
    static func guardNumerics(_ parameters: ParameterStore, _ statistics: LearnerStatistics) throws {
        if let problem = NumericGuard.problem(parameters: parameters, statistics: statistics) {
            throw NonFiniteUpdate(problem)
        }
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

    func batchSchema(env: any StructuredEnv) throws -> BatchSchema {
        try BatchSchema(env: env, recipe: recipe, steps: rule.common.nRolloutSteps)
    }

    mutating func update(_ session: TrainingSession<ActorCriticModel>, with batches: [TrajectoryBatch]) throws
        -> [TrajectoryBatch]
    {
        try session.update(RolloutAssembly.assemble(batches, into: &rollout), validate: Self.guardNumerics)
        return batches
    }
}
