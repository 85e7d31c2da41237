import MazeCore
import MazeTensor

/// A distribution made of independent factors whose actions lie side by side in one action row:
/// the joint log-probability, entropy and KL are the sums of the factors'. The multi-categorical
/// (one factor per MultiDiscrete entry) and the dictionary distribution (one per action key) are.
public protocol FactoredDistribution: ActionDistribution {
    /// The factors, in action-row order.
    var factors: [any ActionDistribution] { get }
}

extension FactoredDistribution {
    public var batchSize: Int { factors[0].batchSize }
    public var actionWidth: Int { factors.reduce(0) { $0 + $1.actionWidth } }

    public func logProb(_ actions: Tensor) throws -> Variable {
        try checkActions(actions)
        var offset = 0
        return try sum { _, factor in
            defer { offset += factor.actionWidth }
            return try factor.logProb(actions.columns(offset..<(offset + factor.actionWidth)))
        }
    }

    public func entropy() throws -> Variable {
        try sum { _, factor in try factor.entropy() }
    }

    public func sample(using random: inout MazeRandom) throws -> Tensor {
        var parts: [Tensor] = []
        for factor in factors { parts.append(try factor.sample(using: &random)) }
        return try Tensor.concatenatingColumns(parts)
    }

    public func mode() throws -> Tensor {
        try Tensor.concatenatingColumns(factors.map { try $0.mode() })
    }

    /// Σ KL(factorᵢ ‖ otherᵢ), for `kl(to:)` once `other` is known to be of the same kind.
    func factorwiseKL(to other: Self) throws -> Variable {
        let otherFactors = other.factors
        guard otherFactors.count == factors.count else {
            throw PerceptionError.incompatibleDistributions(
                "KL between joint distributions of \(factors.count) and \(otherFactors.count) factors")
        }
        return try sum { index, factor in try factor.kl(to: otherFactors[index]) }
    }

    /// Throws unless `factors` is non-empty with one batch size.
    static func validate(_ factors: [any ActionDistribution]) throws {
        guard let first = factors.first else {
            throw PerceptionError.batchMismatch("a joint distribution needs at least one factor")
        }
        guard factors.allSatisfy({ $0.batchSize == first.batchSize }) else {
            throw PerceptionError.batchMismatch("the factors of a joint distribution have different batch sizes")
        }
    }

    private func sum(_ term: (Int, any ActionDistribution) throws -> Variable) throws -> Variable {
        let factors = self.factors
        var total = try term(0, factors[0])
        for index in factors.indices.dropFirst() { total = try total + term(index, factors[index]) }
        return total
    }
}
