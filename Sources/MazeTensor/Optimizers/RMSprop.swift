/// RMSprop as `torch.optim.RMSprop` (no momentum, not centred):
/// `v ← αv + (1−α)g²`, `θ ← θ − lr·g / (√v + ε)`.
public struct RMSprop: Optimizer {
    public var learningRate: LearningRateSchedule
    public var alpha: Float
    public var epsilon: Float
    public private(set) var state = OptimizerState()

    public init(learningRate: LearningRateSchedule, alpha: Float = 0.99, epsilon: Float = 1e-8) {
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
    }

    public mutating func update(_ parameters: inout ParameterStore, gradients: ParameterStore) throws(TensorError) {
        let rate = learningRate.rate(atStep: state.step)
        let (alpha, epsilon) = (alpha, epsilon)
        try OptimizerState.forEachParameter(&parameters, gradients: gradients, state: state) { name, shape, value, gradient in
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

    public mutating func restore(_ state: OptimizerState) {
        self.state = state
    }
}
