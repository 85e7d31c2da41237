import Foundation

/// Adam with bias correction, as `torch.optim.Adam`:
/// `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`, `θ ← θ − lr·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε)`.
public struct Adam: Optimizer {
    /// Learning rate per step.
    public var learningRate: LearningRateSchedule
    /// Decay of the first-moment (mean) estimate.
    public var beta1: Float
    /// Decay of the second-moment (uncentred variance) estimate.
    public var beta2: Float
    /// Added to the denominator so that tiny second moments do not blow up the step.
    public var epsilon: Float
    /// Step count and slots, for `restore` after a restart.
    public private(set) var state = OptimizerState()

    /// PyTorch's defaults except for the learning rate, which has none.
    public init(learningRate: LearningRateSchedule, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// One update of every parameter from its gradient.
    public mutating func update(_ parameters: inout ParameterStore, gradients: ParameterStore) throws(TensorError) {
        let t = Float(state.step + 1)
        let step = AdamKernel.Step(
            rate: learningRate.rate(atStep: state.step), beta1: beta1, beta2: beta2,
            correction1: 1 - Foundation.pow(beta1, t), correction2: 1 - Foundation.pow(beta2, t), epsilon: epsilon)
        try OptimizerState.forEachParameter(&parameters, gradients: gradients, state: &state) {
            name, shape, value, gradient, state in
            state.withSlots("exp_avg", "exp_avg_sq", of: name, shape: shape) { m, v in
                AdamKernel.apply(step, value: value, gradient: gradient, mean: m, variance: v)
            }
        }
        state.step += 1
    }

    /// Continues from a saved state (slots are checked against the parameters at the next update).
    public mutating func restore(_ state: OptimizerState) {
        self.state = state
    }
}
