import MazeCore
import MazeTensor

/// Evolution Strategies (Salimans et al. 2017, "Evolution Strategies as a Scalable Alternative to Reinforcement
/// Learning", Algorithm 2 with the mirrored sampling and fitness shaping of section 2.2), as Maze's `ESTrainer`:
///
/// 1. sample noise indices `kᵢ` into the ``SharedNoiseTable``, `εᵢ = table[kᵢ ..< kᵢ + d]`, `i = 1 … n`;
/// 2. evaluate the antithetic pairs `F⁺ᵢ = F(θ + σεᵢ)`, `F⁻ᵢ = F(θ − σεᵢ)` (episode returns, see ``ESRollouts``);
/// 3. shape the `2n` returns into centered ranks `u ∈ [−0.5, 0.5]` (``centeredRanks(_:)``);
/// 4. estimate the gradient `ĝ = Σᵢ (u⁺ᵢ − u⁻ᵢ) εᵢ / (2n)` (``gradientEstimate(_:dimension:)``);
/// 5. step Adam on `−ĝ + λθ` (ascent on the shaped returns, with the L2 penalty `λ`).
///
/// As in Maze and OpenAI's implementation, `ĝ` is not divided by `σ`: the step size absorbs it. Only the policy's
/// parameters are perturbed and trained (``PolicyParameters``); ES needs no critic.
package struct EvolutionStrategies: TrainingAlgorithm {
    /// The returns of one antithetic pair, `F(θ + σε)` and `F(θ − σε)` for `ε` at `noiseIndex`.
    package struct PairResult: Sendable, Equatable {
        package var noiseIndex: Int
        package var positive: Double
        package var negative: Double

        package init(noiseIndex: Int, positive: Double, negative: Double) {
            self.noiseIndex = noiseIndex
            self.positive = positive
            self.negative = negative
        }
    }

    package let settings: ESSettings
    package let noise: SharedNoiseTable

    package init(_ settings: ESSettings, noise: SharedNoiseTable) {
        self.settings = settings
        self.noise = noise
    }

    package var common: ActorCriticSettings { settings.common }

    /// Adam with `optimizer.step_size` and its moment settings.
    package func makeOptimizer() -> Adam {
        Adam(
            learningRate: .constant(settings.stepSize), beta1: settings.beta1, beta2: settings.beta2,
            epsilon: settings.epsilon)
    }

    /// `d`, the number of policy parameters of `model` that ES perturbs; fails naming
    /// `runner.shared_noise_table_size` when the noise table is smaller than that.
    package func policyDimension(of model: some ActorCritic) throws -> Int {
        let dimension = PolicyParameters(of: model).names.reduce(0) { $0 + (model.parameters[$1]?.scalarCount ?? 0) }
        guard dimension <= noise.values.count else {
            throw TrainError.invalidSetting(
                key: "runner.shared_noise_table_size",
                problem: "\(noise.values.count) floats cannot perturb a policy of \(dimension) parameters")
        }
        return dimension
    }

    /// Step 2's parameters: `θ + sign · σ · ε` for `ε` at `noiseIndex` (`sign` is +1 or −1).
    package func perturbed(_ theta: [Float], noiseIndex: Int, sign: Float) -> [Float] {
        let scale = sign * settings.noiseStddev
        return zip(theta, noise.noise(at: noiseIndex, dimension: theta.count)).map { $0 + scale * $1 }
    }

    /// Step 3: the rank of each value among all of them (0 for the smallest; ties in order of appearance), mapped
    /// linearly onto `[−0.5, 0.5]`: `rank / (N − 1) − 0.5`. Invariant to any monotonic transformation of the
    /// returns, so outliers cannot dominate the update.
    package static func centeredRanks(_ values: [Double]) -> [Float] {
        guard values.count > 1 else { return values.map { _ in 0 } }
        let order = values.indices.sorted { (values[$0], $0) < (values[$1], $1) }
        var ranks = [Float](repeating: 0, count: values.count)
        let top = Float(values.count - 1)
        for (rank, index) in order.enumerated() { ranks[index] = Float(rank) / top - 0.5 }
        return ranks
    }

    /// Steps 3 and 4: `ĝ = Σᵢ (u⁺ᵢ − u⁻ᵢ) εᵢ / (2n)` over the pairs' centered ranks.
    package func gradientEstimate(_ results: [PairResult], dimension: Int) -> [Float] {
        let ranks = Self.centeredRanks(results.flatMap { [$0.positive, $0.negative] })
        var gradient = [Float](repeating: 0, count: dimension)
        for (pair, result) in results.enumerated() {
            let weight = ranks[2 * pair] - ranks[2 * pair + 1]
            for (j, epsilon) in noise.noise(at: result.noiseIndex, dimension: dimension).enumerated() {
                gradient[j] += weight * epsilon
            }
        }
        let episodes = Float(2 * results.count)
        return gradient.map { $0 / episodes }
    }

    /// Step 5's descent direction: `−ĝ + λθ`.
    package func descentDirection(gradient: [Float], theta: [Float]) -> [Float] {
        zip(gradient, theta).map { -$0 + settings.l2Penalty * $1 }
    }

    /// Steps 3–5 on `model`'s policy from the returns of the pairs: records the learning rate and `‖ĝ‖` (as
    /// `policy_grad_norm`) into `statistics`.
    package func update(
        _ model: inout some ActorCritic, optimizer: inout Adam, results: [PairResult],
        statistics: inout LearnerStatistics
    ) throws {
        guard !results.isEmpty else { return }
        let policy = PolicyParameters(of: model)
        var parameters = try policy.store(of: model)
        let theta = parameters.flattened()
        let gradient = gradientEstimate(results, dimension: theta.count)
        var direction = parameters
        try direction.assignFlattened(descentDirection(gradient: gradient, theta: theta))
        statistics.record(.learningRate, settings.stepSize)
        statistics.record(.policyGradNorm, gradient.reduce(0) { $0 + $1 * $1 }.squareRoot())
        try optimizer.update(&parameters, gradients: direction)
        try policy.assign(parameters, to: &model)
    }
}
