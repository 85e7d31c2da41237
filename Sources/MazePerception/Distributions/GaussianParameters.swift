import Foundation
import MazeCore
import MazeTensor

/// The `n` independent normal distributions per row shared by the diagonal and squashed Gaussians:
/// the first `n` parameter columns are means, the next `n` log standard deviations.
struct GaussianParameters {
    /// Log standard deviations are clamped into this range, so a runaway head cannot produce
    /// zero or infinite variances (the gradient stops at the bounds).
    static let logStdRange: ClosedRange<Float> = -20...2
    static let halfLogTwoPi = Float(0.5 * Foundation.log(2 * Double.pi))

    let mean: Variable
    let logStd: Variable
    let std: Variable

    /// `parameters` is `[batch, 2n]`.
    init(parameters: Variable, count: Int) throws {
        guard count > 0, parameters.shape.count == 2, parameters.shape[1] == 2 * count else {
            throw PerceptionError.batchMismatch(
                "Gaussian parameters need shape [batch, \(2 * count)], got \(parameters.shape)")
        }
        mean = try parameters.columns(0..<count)
        logStd = try parameters.columns(count..<(2 * count)).clamped(to: Self.logStdRange)
        std = try logStd.exp()
    }

    var batchSize: Int { mean.shape[0] }
    var count: Int { mean.shape[1] }

    /// Σ log N(x; mean, std) over the columns of `points` (`[batch, n]`).
    func logDensity(_ points: Tensor) throws -> Variable {
        let z = try (mean.tape.constant(points) - mean) / std
        return try (z.squared() * -0.5 - logStd - Self.halfLogTwoPi).rowSums()
    }

    /// Σ ½ + ½ log 2π + log std.
    func entropy() throws -> Variable {
        try (logStd + (0.5 + Self.halfLogTwoPi)).rowSums()
    }

    /// Σ log(σq/σp) + (σp² + (μp − μq)²) / (2σq²) − ½.
    func kl(to other: GaussianParameters) throws -> Variable {
        let variance = try std.squared()
        let otherVariance = try other.std.squared()
        let spread = try (variance + (mean - other.mean).squared()) / (otherVariance * 2)
        return try (other.logStd - logStd + spread - 0.5).rowSums()
    }

    /// mean + std · ε per element, ε standard normal (`[batch, n]` row-major).
    func draw(using random: inout MazeRandom) -> [Float] {
        zip(mean.value.scalars, std.value.scalars).map { mean, std in mean + std * Float(random.nextNormal()) }
    }

    /// Throws unless `other` has the same shape.
    func checkCompatible(_ other: GaussianParameters) throws {
        guard other.mean.shape == mean.shape else {
            throw PerceptionError.incompatibleDistributions(
                "KL between Gaussians of shapes \(mean.shape) and \(other.mean.shape)")
        }
    }
}
