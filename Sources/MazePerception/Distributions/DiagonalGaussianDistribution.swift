import MazeCore
import MazeTensor

/// Independent normal distributions per row (a Box action without squashing), parameterised by
/// `[batch, 2n]`: means, then log standard deviations. Samples are not clipped to the box; the
/// environment (or a wrapper) clips, as in Maze.
struct DiagonalGaussianDistribution: ActionDistribution {
    let gaussian: GaussianParameters

    /// `parameters` is `[batch, 2·count]`.
    init(parameters: Variable, count: Int) throws {
        gaussian = try GaussianParameters(parameters: parameters, count: count)
    }

    /// The means, `[batch, n]`.
    var mean: Variable { gaussian.mean }
    /// The (clamped) log standard deviations, `[batch, n]`.
    var logStd: Variable { gaussian.logStd }

    var batchSize: Int { gaussian.batchSize }
    var actionWidth: Int { gaussian.count }

    func logProb(_ actions: Tensor) throws -> Variable {
        try checkActions(actions)
        return try gaussian.logDensity(actions)
    }

    func entropy() throws -> Variable { try gaussian.entropy() }

    func sample(using random: inout MazeRandom) throws -> Tensor {
        try Tensor(shape: [batchSize, actionWidth], scalars: gaussian.draw(using: &random))
    }

    func mode() throws -> Tensor { gaussian.mean.value }

    func kl(to other: any ActionDistribution) throws -> Variable {
        let other = try sameKind(other, as: Self.self)
        try gaussian.checkCompatible(other.gaussian)
        return try gaussian.kl(to: other.gaussian)
    }
}
