import MazeCore
import MazeTensor

/// Independent distributions whose actions lie side by side in one action row: the joint
/// log-probability, entropy and KL are the sums of the factors'. Shared by the multi-categorical
/// (one factor per MultiDiscrete entry) and the dictionary distribution (one factor per action key).
struct IndependentFactors {
    let factors: [any ActionDistribution]
    /// The first column of each factor in the action row.
    let offsets: [Int]

    init(_ factors: [any ActionDistribution]) throws {
        guard let first = factors.first else { throw PerceptionError.batchMismatch("a joint distribution needs at least one factor") }
        guard factors.allSatisfy({ $0.batchSize == first.batchSize }) else {
            throw PerceptionError.batchMismatch("the factors of a joint distribution have different batch sizes")
        }
        var offsets: [Int] = [], offset = 0
        for factor in factors {
            offsets.append(offset)
            offset += factor.actionWidth
        }
        self.factors = factors
        self.offsets = offsets
    }

    var batchSize: Int { factors[0].batchSize }
    var actionWidth: Int { offsets[offsets.count - 1] + factors[factors.count - 1].actionWidth }

    /// The columns of factor `index` in the action row.
    func columns(_ index: Int) -> Range<Int> {
        offsets[index]..<(offsets[index] + factors[index].actionWidth)
    }

    func logProb(_ actions: Tensor) throws -> Variable {
        try sum { index, factor in try factor.logProb(actions.columns(columns(index))) }
    }

    func entropy() throws -> Variable {
        try sum { _, factor in try factor.entropy() }
    }

    func sample(using random: inout MazeRandom) throws -> Tensor {
        var parts: [Tensor] = []
        for factor in factors { parts.append(try factor.sample(using: &random)) }
        return try Tensor.concatenatingColumns(parts)
    }

    func mode() throws -> Tensor {
        try Tensor.concatenatingColumns(factors.map { try $0.mode() })
    }

    /// Σ KL(factor_i ‖ other_i); `other` must have the same number of factors.
    func kl(to other: IndependentFactors) throws -> Variable {
        guard other.factors.count == factors.count else {
            throw PerceptionError.incompatibleDistributions("KL between joint distributions of \(factors.count) and \(other.factors.count) factors")
        }
        return try sum { index, factor in try factor.kl(to: other.factors[index]) }
    }

    private func sum(_ term: (Int, any ActionDistribution) throws -> Variable) throws -> Variable {
        var total = try term(0, factors[0])
        for index in factors.indices.dropFirst() { total = try total + term(index, factors[index]) }
        return total
    }
}
