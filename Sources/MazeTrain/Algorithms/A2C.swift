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
        trainPolicy: Bool, statistics: inout LearnerStatistics
    ) throws {
        let (advantages, returns) = GeneralizedAdvantageEstimation.estimate(
            try model.bootstrapInputs(for: rollout), gamma: common.gamma, lambda: settings.gaeLambda)

        let tape = Tape()
        let bound = tape.bind(model.parameters)
        let evaluation = try model.evaluateDecisions(
            observations: .matrix(rollout.observations, width: rollout.observationWidth),
            actions: .matrix(rollout.actions, width: rollout.actionWidth), parameters: bound)
        let policyLoss = try ActorCriticLoss.policyGradientLoss(
            logProbs: evaluation.logProbs, advantages: tape.constant(Tensor(advantages)))
        let valueLoss = try ActorCriticLoss.valueLoss(values: evaluation.values, targets: tape.constant(Tensor(returns)))
        let entropy = try evaluation.entropies.mean()
        let loss = try ActorCriticLoss(
            policyLoss: policyLoss, valueLoss: valueLoss, entropy: entropy, settings: common, trainPolicy: trainPolicy)

        let learningRate = optimizer.learningRate.rate(atStep: optimizer.state.step)
        let norms = try GradientStep.apply(loss, bound: bound, model: &model, optimizer: &optimizer, maxGradNorm: common.maxGradNorm)
        statistics.record(loss, meanValue: evaluation.values.value.mean, norms: norms, learningRate: learningRate)
    }
}

extension Tensor {
    /// Mean of all scalars (0 for an empty tensor), for statistics.
    var mean: Float {
        scalars.isEmpty ? 0 : scalars.reduce(0, +) / Float(scalars.count)
    }
}
