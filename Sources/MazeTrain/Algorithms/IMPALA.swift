import MazeCore
import MazeTensor

/// IMPALA's learner (Espeholt et al. 2018): the rollouts were produced by behaviour policies μ that may
/// lag behind the learner's π; V-trace corrects for that with clipped importance weights in both the
/// value targets `vs` and the policy gradient.
public struct IMPALA: ActorCriticAlgorithm {
    public var settings: IMPALASettings
    public var common: ActorCriticSettings { settings.common }

    public init(_ settings: IMPALASettings = IMPALASettings()) {
        self.settings = settings
    }

    public func update(
        _ rollout: RolloutBuffer, model: inout some ActorCritic, optimizer: inout Adam, random: inout MazeRandom,
        trainPolicy: Bool, statistics: inout LearnerStatistics
    ) throws {
        let tape = Tape()
        let bound = tape.bind(model.parameters)
        let evaluation = try model.evaluateDecisions(
            observations: .matrix(rollout.observations, width: rollout.observationWidth),
            actions: .matrix(rollout.actions, width: rollout.actionWidth), parameters: bound)

        let logRhos = zip(evaluation.logProbs.value.scalars, rollout.behaviourLogProbs).map { $0 - $1 }
        let successorValues = try model.stateValues(observations: .matrix(rollout.successorObservations, width: rollout.observationWidth))
        let inputs = try rollout.bootstrapInputs(values: evaluation.values.value.scalars, successorValues: successorValues)
        let (vs, pgAdvantages) = try VTrace.targets(
            inputs, logRhos: logRhos, gamma: common.gamma, thresholds: settings.vtraceThresholds)

        let policyLoss = try ActorCriticLoss.policyGradientLoss(
            logProbs: evaluation.logProbs, advantages: tape.constant(Tensor(pgAdvantages)))
        let valueLoss = try ActorCriticLoss.valueLoss(values: evaluation.values, targets: tape.constant(Tensor(vs)))
        let entropy = try evaluation.entropies.mean()
        let loss = try ActorCriticLoss(
            policyLoss: policyLoss, valueLoss: valueLoss, entropy: entropy, settings: common, trainPolicy: trainPolicy)

        let learningRate = optimizer.learningRate.rate(atStep: optimizer.state.step)
        let norms = try GradientStep.apply(loss, bound: bound, model: &model, optimizer: &optimizer, maxGradNorm: common.maxGradNorm)
        statistics.record(loss, meanValue: evaluation.values.value.mean, norms: norms, learningRate: learningRate)
    }
}
