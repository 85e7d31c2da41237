import Foundation
import MazeCore
import MazeTensor

/// A Gaussian squashed by `tanh` onto a Box: `a = center + scale · tanh(u)`, `u ~ N(mean, std)`, with
/// `center`/`scale` the box's midpoint and half-width. Parameters are `[batch, 2n]` (means, log stds).
///
/// The log-density includes the change-of-variables term `−Σ log(scale · (1 − tanh²(u)))`. The
/// entropy after squashing has no closed form; ``entropy()`` is the entropy of the Gaussian before
/// squashing, the usual exploration bonus. KL is exact: `tanh` is a bijection, so the KL of the
/// squashed distributions equals that of the underlying Gaussians.
struct SquashedGaussianDistribution: ActionDistribution {
    /// Actions are pulled this far inside the box before `atanh`, so boundary actions stay finite.
    static let boundaryMargin: Float = 1e-6

    let gaussian: GaussianParameters
    /// The box the actions lie in.
    let bounds: BoxBounds

    /// `parameters` is `[batch, 2·bounds.count]`.
    init(parameters: Variable, bounds: BoxBounds) throws {
        gaussian = try GaussianParameters(parameters: parameters, count: bounds.count)
        self.bounds = bounds
    }

    var batchSize: Int { gaussian.batchSize }
    var actionWidth: Int { gaussian.count }

    func logProb(_ actions: Tensor) throws -> Variable {
        try checkActions(actions)
        let limit = 1 - Self.boundaryMargin
        let unit = bounds.mapColumns(actions.scalars) { value, element in
            Swift.min(Swift.max((value - bounds.center(element)) / (bounds.width(element) / 2), -limit), limit)
        }
        let preimage = try Tensor(shape: actions.shape, scalars: unit.map { Foundation.atanh($0) })
        // log |da/du| = log(scale) + log(1 − y²), per row; it does not depend on the parameters.
        var correction = [Float](repeating: 0, count: batchSize)
        for (index, y) in unit.enumerated() {
            let scale = Double(bounds.width(index % actionWidth)) / 2
            correction[index / actionWidth] += Float(Foundation.log(scale) + Foundation.log1p(-Double(y) * Double(y)))
        }
        let logDeterminant = gaussian.mean.tape.constant(try Tensor(shape: [batchSize], scalars: correction))
        return try gaussian.logDensity(preimage) - logDeterminant
    }

    func entropy() throws -> Variable { try gaussian.entropy() }

    func sample(using random: inout MazeRandom) throws -> Tensor {
        try squash(gaussian.draw(using: &random))
    }

    func mode() throws -> Tensor {
        try squash(gaussian.mean.value.scalars)
    }

    func kl(to other: any ActionDistribution) throws -> Variable {
        let other = try sameKind(other, as: Self.self)
        try gaussian.checkCompatible(other.gaussian)
        return try gaussian.kl(to: other.gaussian)
    }

    private func squash(_ preimage: [Float]) throws -> Tensor {
        let actions = bounds.mapColumns(preimage) { u, element in
            bounds.center(element) + bounds.width(element) / 2 * Foundation.tanh(u)
        }
        return try Tensor(shape: [batchSize, actionWidth], scalars: actions)
    }
}
