import MazeConfig
import MazeCore
import MazeTensor

/// Behavioural cloning (Maze's `BCTrainer`): supervised learning of the policy from demonstrated decisions.
/// Each update is one Adam step on a minibatch of (observation, action) rows, minimising the policy's negative
/// log-likelihood of the demonstrated actions, less the entropy bonus:
///
///     loss = −mean(log π(a|x)) − entropy_coef · mean(H(π(·|x)))
///
/// For Discrete and MultiDiscrete actions this is Maze's cross-entropy; action masks in the observation apply as
/// when acting. Box actions are fitted by their likelihood under the policy's distribution (Maze regresses the
/// distribution's mean with a squared error instead). The critic is not trained: it keeps its initial weights, which
/// PPO fine-tuning from the run folder (`input_dir`) starts from.
package struct BehaviouralCloning: ActorCriticAlgorithm {
    /// Maze's event topic for imitation statistics.
    package static let topic = "ImitationEvents"

    package let settings: BCSettings
    package let common: ActorCriticSettings

    /// Cloning with `settings` from `trainingRows` demonstrated decisions: an epoch is one pass over them in
    /// minibatches of `batch_size`, the last one holding the remainder.
    package init(_ settings: BCSettings, trainingRows: Int) {
        self.settings = settings
        let iterations = (trainingRows + settings.batchSize - 1) / settings.batchSize
        common = settings.common(iterationsPerEpoch: max(1, iterations))
    }

    package var statisticsTopic: String { Self.topic }

    /// Demonstrations are read from files, never collected by actors.
    package func serviceNeeds(_ section: ConfigSection) throws -> ServiceNeeds {
        throw TrainError.unsupported(
            "algorithm=bc trains from trajectory files in one process (maze run), not on the service")
    }

    /// One step on the minibatch `rollout` holds (its observations and actions; rewards are not used).
    package func update(
        _ rollout: RolloutBuffer, model: inout some ActorCritic, optimizer: inout Adam, random: inout MazeRandom,
        trainPolicy: Bool, statistics: inout LearnerStatistics, tape: Tape
    ) throws {
        let bound = tape.bind(model.parameters)
        let evaluation = try model.evaluateDecisions(in: rollout, parameters: bound)
        let (policyLoss, entropy) = try Self.terms(evaluation)
        let total = try policyLoss - entropy * common.entropyCoef
        let norms = try GradientStep.apply(
            total, bound: bound, model: &model, optimizer: &optimizer, maxGradNorm: common.maxGradNorm)
        statistics.record(.policyLoss, policyLoss.value.scalars[0])
        statistics.record(.policyGradNorm, norms.policy)
        statistics.record(.policyEntropy, entropy.value.scalars[0])
    }

    /// The mean negative log-likelihood of the demonstrated actions and the mean entropy.
    static func terms(_ evaluation: ActionEvaluation) throws -> (policyLoss: Variable, entropy: Variable) {
        (try evaluation.logProbs.mean().negated(), try evaluation.entropies.mean())
    }
}
