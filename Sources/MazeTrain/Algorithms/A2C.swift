import MazeCore
import MazeTensor

/// Synchronous advantage actor-critic (Mnih et al. 2016) with GAE advantages: one gradient step per rollout.
public struct A2C: ActorCriticAlgorithm {
    public var settings: A2CSettings
    public var common: ActorCriticSettings { settings.common }

    public init(_ settings: A2CSettings = A2CSettings()) {
        self.settings = settings
    }

    public func update(
        _ rollout: RolloutBuffer, model: inout some ActorCritic, optimizer: inout Adam, random: inout MazeRandom,
        trainPolicy: Bool, statistics: inout LearnerStatistics, tape: Tape
    ) throws {
        let (advantages, returns) = GeneralizedAdvantageEstimation.estimate(
            try model.bootstrapInputs(for: rollout, tape: tape), gamma: common.gamma, lambda: settings.gaeLambda)
        try policyGradientStep(
            rollout, model: &model, optimizer: &optimizer, trainPolicy: trainPolicy, statistics: &statistics,
            tape: tape
        ) { _ in (advantages, returns) }
    }
}

extension Tensor {
    /// Mean of all scalars (0 for an empty tensor), for statistics.
    var mean: Float {
        scalars.isEmpty ? 0 : scalars.reduce(0, +) / Float(scalars.count)
    }
}
