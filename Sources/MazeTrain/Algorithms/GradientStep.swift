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
    /// The tape of `bound` is reset and left empty, with its buffers pooled for the next pass.
    static func optimize(
        _ loss: ActorCriticLoss, evaluation: ActionEvaluation, bound: BoundParameters,
        model: inout some ActorCritic,
        optimizer: inout Adam, settings: ActorCriticSettings, statistics: inout LearnerStatistics
    ) throws {
        let learningRate = optimizer.learningRate.rate(atStep: optimizer.state.step)
        let norms = try apply(
            loss.total, bound: bound, model: &model, optimizer: &optimizer, maxGradNorm: settings.maxGradNorm)
        statistics.record(loss, meanValue: evaluation.values.value.mean, norms: norms, learningRate: learningRate)
    }

    /// Back-propagates `total` and applies the gradients; returns the two groups' norms before clipping.
    /// The gradients are moved out of the tape, which is then reset: nothing else shares the parameters' or the
    /// gradients' storage, so clipping and Adam write in place, and the gradient buffers go back to the tape's
    /// pool for the next pass.
    static func apply(
        _ total: Variable, bound: BoundParameters, model: inout some ActorCritic,
        optimizer: inout Adam, maxGradNorm: Float
    ) throws -> Norms {
        let tape = bound.tape
        try tape.backward(from: total)
        var gradients = try bound.takeGradients()
        tape.reset()
        let names = gradients.names
        let limit = maxGradNorm > 0 ? maxGradNorm : .infinity
        let norms = Norms(
            policy: gradients.clipGlobalNorm(to: limit, of: names) { !model.isCriticParameter($0) },
            critic: gradients.clipGlobalNorm(to: limit, of: names) { model.isCriticParameter($0) })
        try optimizer.update(&model.parameters, gradients: gradients)
        tape.recycle(consume gradients)
        return norms
    }
}
