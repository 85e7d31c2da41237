import Foundation
import MazeTensor

/// The scalar rules of Soft Actor-Critic that do not involve a network, in the papers' notation:
/// the soft Bellman target of the twin Q-functions (Haarnoja et al. 2018, eq. 3 and 5, with the
/// clipped double-Q minimum of Fujimoto et al. used by SAC's implementations), the temperature
/// objective J(α) (Haarnoja et al. 2018b, "Soft Actor-Critic Algorithms and Applications", eq. 18)
/// with its target entropy H̄, and the soft (Polyak) update of the target networks ψ̄.
///
/// For a Discrete action the expectation over `a′ ~ π(·|s′)` is taken exactly over the categories
/// (Christodoulou 2019, "Soft actor-critic for discrete action settings"), so the same rules serve
/// both kinds of action space. Pure functions on flat arrays; ``tools/gen_sac_fixtures.py`` re-derives
/// them with numpy.
enum SoftBellman {
    /// `y = r + γ (1 − d) (min(Q̄₁(s′,a′), Q̄₂(s′,a′)) − α log π(a′|s′))` for one sampled `a′` per row (continuous
    /// actions). `d` is termination only: a truncated episode (time limit) bootstraps from its final state.
    static func criticTarget(
        rewards: [Float], terminated: [Bool], targetQ1: [Float], targetQ2: [Float], nextLogProbs: [Float], alpha: Float,
        gamma: Float
    ) throws -> [Float] {
        let n = rewards.count
        guard terminated.count == n, targetQ1.count == n, targetQ2.count == n, nextLogProbs.count == n else {
            throw TrainError.shapeMismatch("SAC target inputs need \(n) rows each")
        }
        return (0..<n).map { i in
            let softValue = min(targetQ1[i], targetQ2[i]) - alpha * nextLogProbs[i]
            return rewards[i] + (terminated[i] ? 0 : gamma * softValue)
        }
    }

    /// The same target for a Discrete action of `actionCount` categories, with the soft state value
    /// `V(s′) = Σₐ π(a|s′) (min(Q̄₁(s′,a), Q̄₂(s′,a)) − α log π(a|s′))` taken exactly; the `[N, |A|]` inputs
    /// are row-major.
    static func discreteCriticTarget(
        rewards: [Float], terminated: [Bool], targetQ1: [Float], targetQ2: [Float], nextLogProbabilities: [Float],
        actionCount: Int, alpha: Float, gamma: Float
    ) throws -> [Float] {
        let n = rewards.count
        let width = n * actionCount
        guard actionCount > 0, terminated.count == n, targetQ1.count == width, targetQ2.count == width,
            nextLogProbabilities.count == width
        else {
            throw TrainError.shapeMismatch("discrete SAC target inputs need \(n) rows of \(actionCount) actions")
        }
        return (0..<n).map { i in
            var softValue: Float = 0
            for a in i * actionCount..<(i + 1) * actionCount {
                let logProbability = nextLogProbabilities[a]
                softValue += Foundation.exp(logProbability) * (min(targetQ1[a], targetQ2[a]) - alpha * logProbability)
            }
            return rewards[i] + (terminated[i] ? 0 : gamma * softValue)
        }
    }

    /// The target entropy `H̄` of Maze's rule, scaled by `target_entropy_multiplier`: `−dim(A)` for
    /// continuous actions (Haarnoja et al. 2018b), `0.98 · log |A|` (98% of the maximum entropy) for a
    /// Discrete action of `|A|` categories (Christodoulou 2019). Several action keys add up.
    static func targetEntropy(continuousDimensions: Int, discreteCategories: [Int], multiplier: Float) -> Float {
        let discrete = discreteCategories.reduce(Float(0)) { $0 + 0.98 * Foundation.log(Float($1)) }
        return multiplier * (discrete - Float(continuousDimensions))
    }

    /// `J(α) = E[−α (log π(a|s) + H̄)]` with `α = exp(log α)` optimized through `log α` as SAC's
    /// implementations do, i.e. `J = −log α · mean(log π + H̄)`; returns the loss and `∂J/∂log α`.
    /// For discrete actions pass `log π` as the expectation `Σₐ π(a|s) log π(a|s)` = −H(π(·|s)).
    static func temperatureLoss(logAlpha: Float, logProbs: [Float], targetEntropy: Float) -> (
        loss: Float, gradient: Float
    ) {
        guard !logProbs.isEmpty else { return (0, 0) }
        let meanGap = logProbs.reduce(Float(0)) { $0 + $1 + targetEntropy } / Float(logProbs.count)
        return (-logAlpha * meanGap, -meanGap)
    }

    /// `ψ̄ ← τ ψ + (1 − τ) ψ̄` for every tensor of `target` (Haarnoja et al. 2018, Algorithm 1).
    static func softUpdate(_ target: inout ParameterStore, toward online: ParameterStore, tau: Float) throws {
        for name in target.names {
            let current = try target.tensor(named: name)
            let source = try online.tensor(named: name)
            guard source.shape == current.shape else {
                throw TrainError.shapeMismatch(
                    "target network '\(name)' has shape \(current.shape), online \(source.shape)")
            }
            let blended = zip(source.scalars, current.scalars).map { tau * $0 + (1 - tau) * $1 }
            target[name] = try Tensor(shape: current.shape, scalars: blended)
        }
    }
}
