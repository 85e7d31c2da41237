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
        trainPolicy: Bool, statistics: inout LearnerStatistics, tape: Tape
    ) throws {
        let successorValues = try model.successorValues(for: rollout, tape: tape)
        try policyGradientStep(
            rollout, model: &model, optimizer: &optimizer, trainPolicy: trainPolicy, statistics: &statistics,
            tape: tape
        ) { evaluation in
            // log ρ = log π(a|x) − log μ(a|x): the learner's policy over the one that acted.
            let logRhos = zip(evaluation.logProbs.value.scalars, rollout.behaviourLogProbs).map { $0 - $1 }
            let inputs = try rollout.bootstrapInputs(
                values: evaluation.values.value.scalars, successorValues: successorValues)
            let (vs, pgAdvantages) = try VTrace.targets(
                inputs, logRhos: logRhos, gamma: common.gamma, thresholds: settings.vtraceThresholds)
            return (pgAdvantages, vs)
        }
    }
}
