import MazeTensor

/// One optimizer step from a recorded loss: backward pass, gradient norms of the policy and critic
/// groups (each clipped to `max_grad_norm` when that is positive, as Maze clips the two separately),
/// then Adam.
enum GradientStep {
    /// Global L2 norms of the two parameter groups' gradients before clipping.
    struct Norms {
        var policy: Float
        var critic: Float
    }

    /// Applies `loss` and records the step's figures (at the learning rate this step used).
    static func optimize(
        _ loss: ActorCriticLoss, evaluation: ActionEvaluation, bound: BoundParameters, model: inout some ActorCritic,
        optimizer: inout Adam, settings: ActorCriticSettings, statistics: inout LearnerStatistics
    ) throws {
        let learningRate = optimizer.learningRate.rate(atStep: optimizer.state.step)
        let norms = try apply(loss, bound: bound, model: &model, optimizer: &optimizer, maxGradNorm: settings.maxGradNorm)
        statistics.record(loss, meanValue: evaluation.values.value.mean, norms: norms, learningRate: learningRate)
    }

    private static func apply(
        _ loss: ActorCriticLoss, bound: BoundParameters, model: inout some ActorCritic, optimizer: inout Adam,
        maxGradNorm: Float
    ) throws -> Norms {
        try bound.tape.backward(from: loss.total)
        let gradients = try bound.gradients()
        var policy = ParameterStore()
        var critic = ParameterStore()
        for name in gradients.names {
            if model.isCriticParameter(name) { critic[name] = gradients[name] } else { policy[name] = gradients[name] }
        }
        let limit = maxGradNorm > 0 ? maxGradNorm : .infinity
        let norms = Norms(policy: policy.clipGlobalNorm(to: limit), critic: critic.clipGlobalNorm(to: limit))
        for name in critic.names { policy[name] = critic[name] }
        try optimizer.update(&model.parameters, gradients: policy)
        return norms
    }
}
