/// RMSprop as `torch.optim.RMSprop` (no momentum, not centred):
/// `v ← αv + (1−α)g²`, `θ ← θ − lr·g / (√v + ε)`.
struct RMSprop: Optimizer {
    /// Learning rate per step.
    var learningRate: LearningRateSchedule
    /// Decay of the running mean of squared gradients.
    var alpha: Float
    /// Added to the denominator so that tiny second moments do not blow up the step.
    var epsilon: Float
    /// Step count and slots, for `restore` after a restart.
    private(set) var state = OptimizerState()

    /// PyTorch's defaults except for the learning rate, which has none.
    init(learningRate: LearningRateSchedule, alpha: Float = 0.99, epsilon: Float = 1e-8) {
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
    }

    /// One update of every parameter from its gradient.
    mutating func update(_ parameters: inout ParameterStore, gradients: ParameterStore) throws(TensorError) {
        let rate = learningRate.rate(atStep: state.step)
        let (alpha, epsilon) = (alpha, epsilon)
        try OptimizerState.forEachParameter(&parameters, gradients: gradients, state: &state) {
            name, shape, value, gradient, state in
            state.withSlot("square_avg", of: name, shape: shape) { v in
                for index in value.indices {
                    let g = gradient[index]
                    v[index] = alpha * v[index] + (1 - alpha) * g * g
                    value[index] -= rate * g / (v[index].squareRoot() + epsilon)
                }
            }
        }
        state.step += 1
    }

    /// Continues from a saved state (slots are checked against the parameters at the next update).
    mutating func restore(_ state: OptimizerState) {
        self.state = state
    }
}
