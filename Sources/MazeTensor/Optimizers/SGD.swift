/// Stochastic gradient descent with optional momentum, as `torch.optim.SGD` (no dampening):
/// `b ← μ·b + g`, `θ ← θ − lr·b` (plain `θ ← θ − lr·g` when `μ = 0`).
public struct SGD: Optimizer {
    public var learningRate: LearningRateSchedule
    public var momentum: Float
    public private(set) var state = OptimizerState()

    public init(learningRate: LearningRateSchedule, momentum: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    public mutating func update(_ parameters: inout ParameterStore, gradients: ParameterStore) throws(TensorError) {
        let rate = learningRate.rate(atStep: state.step)
        let momentum = momentum
        try OptimizerState.forEachParameter(&parameters, gradients: gradients, state: state) { name, shape, value, gradient in
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

    public mutating func restore(_ state: OptimizerState) {
        self.state = state
    }
}
