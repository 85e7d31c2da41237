import CMazeKernels

/// Adam's element-wise step over one parameter's contiguous buffers.
///
/// The arithmetic is that of `torch.optim.Adam` in the same order for every element (each product, quotient and
/// square root correctly rounded, no fused multiply-add). The loop is C (`maze_adam_apply`): Swift's square root
/// keeps C's errno semantics on Linux and becomes one `sqrtf` call per element even in SIMD types, which made the
/// square root most of Adam's time; C's `__builtin_elementwise_sqrt` is one vector instruction per 4–8 elements.
enum AdamKernel {
    /// The per-step constants: the learning rate, both decays and their bias corrections `1 − βᵗ`, and ε.
    struct Step {
        var rate: Float, beta1: Float, beta2: Float, correction1: Float, correction2: Float, epsilon: Float
    }

    /// `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`, `θ ← θ − lr·(m/c₁) / (√(v/c₂) + ε)` for every element.
    /// The four buffers are distinct storage (the optimizer's parameter, gradient and slots).
    static func apply(
        _ step: Step, value: UnsafeMutableBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>,
        mean: UnsafeMutableBufferPointer<Float>, variance: UnsafeMutableBufferPointer<Float>
    ) {
        guard let theta = value.baseAddress, let g = gradient.baseAddress, let m = mean.baseAddress,
            let v = variance.baseAddress
        else { return }
        let constants = maze_adam_step(
            rate: step.rate, beta1: step.beta1, beta2: step.beta2, correction1: step.correction1,
            correction2: step.correction2, epsilon: step.epsilon)
        maze_adam_apply(constants, theta, g, m, v, value.count)
    }
}
