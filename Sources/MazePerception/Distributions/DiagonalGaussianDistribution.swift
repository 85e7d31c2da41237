import MazeCore
import MazeTensor

/// Independent normal distributions per row (a Box action without squashing), parameterised by
/// `[batch, 2n]`: means, then log standard deviations. Samples are not clipped to the box; the
/// environment (or a wrapper) clips, as in Maze.
public struct DiagonalGaussianDistribution: ActionDistribution {
    let gaussian: GaussianParameters

    /// `parameters` is `[batch, 2·count]`.
    public init(parameters: Variable, count: Int) throws {
        gaussian = try GaussianParameters(parameters: parameters, count: count)
    }

    /// The means, `[batch, n]`.
    public var mean: Variable { gaussian.mean }
    /// The (clamped) log standard deviations, `[batch, n]`.
    public var logStd: Variable { gaussian.logStd }

    public var batchSize: Int { gaussian.batchSize }
    public var actionWidth: Int { gaussian.count }

    public func logProb(_ actions: Tensor) throws -> Variable {
        try checkActions(actions)
        return try gaussian.logDensity(actions)
    }

    public func entropy() throws -> Variable { try gaussian.entropy() }

    public func sample(using random: inout MazeRandom) throws -> Tensor {
        try Tensor(shape: [batchSize, actionWidth], scalars: gaussian.draw(using: &random))
    }

    public func mode() throws -> Tensor { gaussian.mean.value }

    public func kl(to other: any ActionDistribution) throws -> Variable {
        let other = try sameKind(other, as: Self.self)
        try gaussian.checkCompatible(other.gaussian)
        return try gaussian.kl(to: other.gaussian)
    }
}
