/// Stochastic gradient descent with optional momentum, as `torch.optim.SGD` (no dampening):
/// `b ← μ·b + g`, `θ ← θ − lr·b` (plain `θ ← θ − lr·g` when `μ = 0`).
struct SGD: Optimizer {
    /// Learning rate per step.
    var learningRate: LearningRateSchedule
    /// Weight of the previous update direction; 0 disables momentum.
    var momentum: Float
    /// Step count and slots, for `restore` after a restart.
    private(set) var state = OptimizerState()

    /// PyTorch's defaults except for the learning rate, which has none.
    init(learningRate: LearningRateSchedule, momentum: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    /// One update of every parameter from its gradient.
    mutating func update(_ parameters: inout ParameterStore, gradients: ParameterStore) throws(TensorError) {
        let rate = learningRate.rate(atStep: state.step)
        let momentum = momentum
        try OptimizerState.forEachParameter(&parameters, gradients: gradients, state: &state) {
            name, shape, value, gradient, state in
            guard momentum != 0 else {
                for index in value.indices { value[index] -= rate * gradient[index] }
                return
            }
            state.withSlot("momentum_buffer", of: name, shape: shape) { buffer in
                for index in value.indices {
                    buffer[index] = momentum * buffer[index] + gradient[index]
                    value[index] -= rate * buffer[index]
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
