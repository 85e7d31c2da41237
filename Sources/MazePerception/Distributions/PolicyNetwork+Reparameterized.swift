import Foundation
import MazeCore
import MazeTensor

/// What Soft Actor-Critic needs of a policy beyond sampling: actions that are differentiable
/// functions of the policy's parameters (the reparameterization trick), or, for a Discrete action,
/// the whole distribution.
extension PolicyNetwork {
    /// `ã = f_φ(ε; s) = center + scale · tanh(μ_φ(s) + σ_φ(s) ⊙ ε)`, `ε ~ N(0, I)` drawn from `random`, and
    /// `log π_φ(ã|s)` (Haarnoja et al. 2018, eq. 11 and Appendix C), both on the tape of `logits`.
    /// Every head must be a squashed Gaussian.
    public func reparameterizedSample(logits: Variable, random: inout MazeRandom) throws -> (
        actions: Variable, logProbs: Variable
    ) {
        guard masks.isEmpty, heads.allSatisfy({ $0.kind == .squashedGaussian }) else {
            throw PerceptionError.invalidConfiguration(
                "a reparameterized sample needs SquashedGaussianProbabilityDistribution heads, got \(heads.map(\.kind.rawValue))"
            )
        }
        var actions: [Variable] = []
        var logProbs: Variable?
        var offset = 0
        for head in heads {
            guard case .box(let box) = head.space else { continue }
            let bounds = try BoxBounds(box, key: head.key)
            let gaussian = try GaussianParameters(
                parameters: logits.columns(offset..<offset + head.parameterWidth), count: bounds.count)
            let tape = logits.tape
            let shape = gaussian.mean.shape
            let epsilon = (0..<shape[0] * shape[1]).map { _ in Float(random.nextNormal()) }
            let noise = tape.constant(try Tensor(shape: shape, scalars: epsilon))
            let squashed = try (gaussian.mean + gaussian.std * noise).tanh()
            let scale = tape.constant(
                try Tensor(shape: [bounds.count], scalars: (0..<bounds.count).map { bounds.width($0) / 2 }))
            let center = tape.constant(
                try Tensor(shape: [bounds.count], scalars: (0..<bounds.count).map { bounds.center($0) }))
            actions.append(try squashed * scale + center)
            // log N(u; μ, σ) with u − μ = σ ε, minus log |da/du| = log(scale · (1 − tanh²u)).
            let density = try (noise.squared() * -0.5 - gaussian.logStd - GaussianParameters.halfLogTwoPi).rowSums()
            let jacobian = try ((1 - squashed.squared()) * scale + 1e-6).log().rowSums()
            let headLogProbs = try density - jacobian
            logProbs = try logProbs.map { try $0 + headLogProbs } ?? headLogProbs
            offset += head.parameterWidth
        }
        guard let logProbs else { throw PerceptionError.invalidConfiguration("the policy has no action heads") }
        return (actions.count == 1 ? actions[0] : try Variable.concatenate(actions, alongAxis: 1), logProbs)
    }

    /// `log π(·|s)`, `[batch, |A|]`, of a policy with a single unmasked categorical head (discrete SAC).
    public func categoricalLogProbabilities(logits: Variable) throws -> Variable {
        guard masks.isEmpty, heads.count == 1, heads[0].kind == .categorical else {
            throw PerceptionError.invalidConfiguration(
                "discrete SAC needs one unmasked CategoricalProbabilityDistribution head, got \(heads.map(\.kind.rawValue))"
            )
        }
        return try logits.logSoftmax(alongAxis: 1)
    }
}
