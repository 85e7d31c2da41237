/// Generalized advantage estimation (Schulman et al. 2016, eq. 11–16):
///
///     δ_t = r_t + γ V(x_{t+1}) − V(x_t)
///     Â_t = δ_t + γλ Â_{t+1}
///
/// computed backwards over each env's column, with the bootstrap dropped on termination and the
/// recursion cut (but the bootstrap kept) on truncation. The value targets are `Â_t + V(x_t)`.
enum GeneralizedAdvantageEstimation {
    /// Advantages `Â` and value targets (returns) for every step, time-major like the inputs.
    static func estimate(
        _ inputs: BootstrapInputs, gamma: Float, lambda: Float
    ) -> (advantages: [Float], returns: [Float]) {
        let (steps, envs) = (inputs.stepCount, inputs.envCount)
        var advantages = [Float](repeating: 0, count: steps * envs)
        for env in 0..<envs {
            var nextAdvantage: Float = 0
            for step in stride(from: steps - 1, through: 0, by: -1) {
                let index = step * envs + env
                let delta =
                    inputs.oneStepTarget(index, gamma: gamma, nextValue: inputs.nextValues[index])
                    - inputs.values[index]
                let carried = inputs.episodeEnds(index) ? 0 : gamma * lambda * nextAdvantage
                advantages[index] = delta + carried
                nextAdvantage = advantages[index]
            }
        }
        let returns = zip(advantages, inputs.values).map { $0 + $1 }
        return (advantages, returns)
    }
}
