import MazeCore
import MazeTensor

/// Proximal policy optimization (Schulman et al. 2017): GAE advantages computed once per rollout, then
/// `n_optimization_epochs` passes over shuffled minibatches of `batch_size` rows, each minimising the
/// clipped surrogate against the behaviour log-probabilities recorded while acting. A recurrent model's
/// minibatches are whole env sequences (`batch_size / n_rollout_steps` envs, at least one), recomputed from
/// the states the envs carried into the rollout.
public struct PPO: ActorCriticAlgorithm {
    public var settings: PPOSettings
    public var common: ActorCriticSettings { settings.common }
    public var passesPerRollout: Int { settings.nOptimizationEpochs }

    public init(_ settings: PPOSettings = PPOSettings()) {
        self.settings = settings
    }

    public func update(
        _ rollout: RolloutBuffer, model: inout some ActorCritic, optimizer: inout Adam, random: inout MazeRandom,
        trainPolicy: Bool, statistics: inout LearnerStatistics, tape: Tape
    ) throws {
        let (rawAdvantages, returns) = GeneralizedAdvantageEstimation.estimate(
            try model.bootstrapInputs(for: rollout, tape: tape), gamma: common.gamma, lambda: settings.gaeLambda)
        let advantages = Self.normalized(rawAdvantages)
        let clipRange = anneal(&optimizer, rollout: rollout, recurrent: model.recurrentStateWidth > 0)

        // Every minibatch on the one tape: each pass reuses the buffers of the one before (same shapes), and the
        // minibatch's rows are gathered into them.
        func optimize(rows: ArraySlice<Int>, evaluate: (BoundParameters) throws -> ActionEvaluation) throws {
            let bound = tape.bind(model.parameters)
            let evaluation = try evaluate(bound)
            let policyLoss = try ActorCriticLoss.clippedSurrogateLoss(
                logProbs: evaluation.logProbs,
                oldLogProbs: tape.constant(gathering: rows, of: rollout.behaviourLogProbs),
                advantages: tape.constant(gathering: rows, of: advantages), clipRange: clipRange)
            let loss = try ActorCriticLoss(
                policyLoss: policyLoss, evaluation: evaluation,
                valueTargets: tape.constant(gathering: rows, of: returns), settings: common, trainPolicy: trainPolicy)
            try GradientStep.optimize(
                loss, evaluation: evaluation, bound: bound, model: &model, optimizer: &optimizer, settings: common,
                statistics: &statistics)
        }
        if model.recurrentStateWidth > 0 {
            // Minibatches of whole env sequences, recomputed from their initial states.
            var envs = Array(0..<rollout.envCount)
            let envsPerBatch = envsPerMinibatch(rollout)
            for _ in 0..<settings.nOptimizationEpochs {
                envs.shuffle(using: &random)
                for start in stride(from: 0, to: envs.count, by: envsPerBatch) {
                    let chosen = Array(envs[start..<min(start + envsPerBatch, envs.count)])
                    let segment = try RecurrentSegment(rollout, envs: chosen)
                    try optimize(rows: segment.rows[...]) { try model.evaluateSequences(segment, parameters: $0) }
                }
            }
            return
        }
        var order = Array(0..<rollout.count)
        for _ in 0..<settings.nOptimizationEpochs {
            order.shuffle(using: &random)
            for start in stride(from: 0, to: order.count, by: settings.batchSize) {
                let rows = order[start..<min(start + settings.batchSize, order.count)]
                try optimize(rows: rows) { bound in
                    try model.evaluateDecisions(
                        observations: tape.constant(
                            gathering: rows, width: rollout.observationWidth, of: rollout.observations
                        ).value,
                        actions: tape.constant(gathering: rows, width: rollout.actionWidth, of: rollout.actions).value,
                        parameters: bound)
                }
            }
        }
    }

    /// Applies `lr: lin_…` and `clip_range: lin_…` (rl-zoo's linear annealing): sets this update's learning rate on
    /// `optimizer` and returns its clip range, both the configured value times the share of the training that
    /// remains. The update's index is the optimizer's step count over the gradient steps an update of this
    /// rollout's shape takes, so it survives resuming from a checkpoint.
    private func anneal(_ optimizer: inout Adam, rollout: RolloutBuffer, recurrent: Bool) -> Float {
        guard common.lrAnnealing != nil || settings.clipRangeAnnealing != nil else { return settings.clipRange }
        let minibatches =
            recurrent
            ? (rollout.envCount + envsPerMinibatch(rollout) - 1) / envsPerMinibatch(rollout)
            : (rollout.count + settings.batchSize - 1) / settings.batchSize
        let update = optimizer.state.step / max(1, minibatches * settings.nOptimizationEpochs)
        if let annealing = common.lrAnnealing {
            optimizer.learningRate = .constant(common.lr * annealing.remaining(atUpdate: update))
        }
        return settings.clipRange * (settings.clipRangeAnnealing?.remaining(atUpdate: update) ?? 1)
    }

    /// Whole env sequences per minibatch of a recurrent model: `batch_size / n_rollout_steps`, at least one.
    private func envsPerMinibatch(_ rollout: RolloutBuffer) -> Int {
        max(1, settings.batchSize / rollout.stepCount)
    }

    /// Advantages shifted to mean 0 and scaled to standard deviation 1 over the rollout, which keeps the
    /// surrogate's scale independent of the reward scale.
    static func normalized(_ advantages: [Float]) -> [Float] {
        let count = Float(advantages.count)
        let mean = advantages.reduce(0, +) / count
        let variance = advantages.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
        let scale = 1 / (variance.squareRoot() + 1e-8)
        return advantages.map { ($0 - mean) * scale }
    }
}
