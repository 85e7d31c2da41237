import MazeTensor

/// The terms of an actor-critic objective as recorded on a tape, and their weighted sum:
///
///     loss = policy_loss_coef · policy_loss + value_loss_coef · value_loss − entropy_coef · entropy
///
/// Every algorithm builds its `policy_loss` its own way (plain policy gradient, clipped surrogate,
/// V-trace-weighted); the value loss and entropy bonus are shared.
struct ActorCriticLoss {
    /// The policy term, to be minimised.
    let policyLoss: Variable
    /// Mean squared error of the critic against its targets.
    let valueLoss: Variable
    /// Mean entropy of the action distributions (a bonus: it enters the loss negatively).
    let entropy: Variable
    /// The weighted sum to back-propagate.
    let total: Variable

    /// Weighs the three terms with the coefficients of `settings`; `trainPolicy: false` drops the
    /// policy and entropy terms (critic burn-in).
    init(
        policyLoss: Variable, valueLoss: Variable, entropy: Variable, settings: ActorCriticSettings,
        trainPolicy: Bool = true
    ) throws(TensorError) {
        self.policyLoss = policyLoss
        self.valueLoss = valueLoss
        self.entropy = entropy
        let critic = try valueLoss * settings.valueLossCoef
        total =
            trainPolicy
            ? try policyLoss * settings.policyLossCoef + critic - entropy * settings.entropyCoef
            : critic
    }

    /// The terms of a batch: `policyLoss` as the algorithm built it, the critic's loss against
    /// `valueTargets` (GAE returns or V-trace `vs`) and the mean entropy of `evaluation`.
    init(
        policyLoss: Variable, evaluation: ActionEvaluation, valueTargets: Variable, settings: ActorCriticSettings,
        trainPolicy: Bool
    ) throws(TensorError) {
        try self.init(
            policyLoss: policyLoss, valueLoss: Self.valueLoss(values: evaluation.values, targets: valueTargets),
            entropy: evaluation.entropies.mean(), settings: settings, trainPolicy: trainPolicy)
    }

    /// `mean((targets − values)²)`: the critic's regression onto GAE returns or V-trace `vs`.
    static func valueLoss(values: Variable, targets: Variable) throws(TensorError) -> Variable {
        try (targets - values).squared().mean()
    }

    /// `−mean(log π(a|x) · Â)`: the vanilla policy gradient (A2C; IMPALA with `pg_advantages`).
    static func policyGradientLoss(logProbs: Variable, advantages: Variable) throws(TensorError) -> Variable {
        try (logProbs * advantages).mean().negated()
    }

    /// PPO's clipped surrogate (Schulman et al. 2017, eq. 7), negated for minimisation:
    ///
    ///     r = exp(log π − log π_old),   policy_loss = −mean(min(r·Â, clip(r, 1 − ε, 1 + ε)·Â))
    static func clippedSurrogateLoss(
        logProbs: Variable, oldLogProbs: Variable, advantages: Variable, clipRange: Float
    ) throws(TensorError) -> Variable {
        let ratio = try (logProbs - oldLogProbs).exp()
        let unclipped = try ratio * advantages
        let clipped = try ratio.clamped(to: (1 - clipRange)...(1 + clipRange)) * advantages
        return try unclipped.minimum(clipped).mean().negated()
    }

    /// The scalar values of the terms, for the epoch statistics.
    var values: (policyLoss: Float, valueLoss: Float, entropy: Float, total: Float) {
        (policyLoss.value.scalars[0], valueLoss.value.scalars[0], entropy.value.scalars[0], total.value.scalars[0])
    }
}
