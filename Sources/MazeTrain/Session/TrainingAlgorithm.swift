import MazeTensor

/// What a ``TrainingSession`` needs of any training algorithm: the epoch schedule (`n_epochs`, `epoch_length`,
/// `patience`, critic burn-in and the evaluator's settings, in ``ActorCriticSettings``) and the optimizer it steps.
///
/// Actor-critics (``ActorCriticAlgorithm``) add an update from rollouts; Evolution Strategies
/// (``EvolutionStrategies``) updates from the returns of perturbed policies instead.
public protocol TrainingAlgorithm: Sendable {
    /// The epoch schedule and evaluator settings the session applies.
    var common: ActorCriticSettings { get }
    /// A fresh optimizer for the model's parameters.
    func makeOptimizer() -> Adam
    /// The event topic of the trainer's rows in the statistics table (Maze's `MultiStepActorCriticEvents`,
    /// `ImitationEvents` for behavioural cloning).
    var statisticsTopic: String { get }
}

extension TrainingAlgorithm {
    public var statisticsTopic: String { LearnerStatistics.topic }
}
