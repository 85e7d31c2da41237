import MazeCore
import MazeTensor

/// One distribution per action key of a dictionary action space, acting as their product: actions
/// are the keys' columns side by side in the space's flat order, log-probabilities, entropies and
/// KL divergences are sums over the keys.
public struct DictDistribution: ActionDistribution {
    /// The action keys, in the action space's order.
    public let keys: [String]
    private let joint: IndependentFactors

    /// `entries` in the action space's key order; all must have the same batch size.
    public init(_ entries: [(key: String, distribution: any ActionDistribution)]) throws {
        keys = entries.map(\.key)
        joint = try IndependentFactors(entries.map(\.distribution))
    }

    /// The distribution of each key, aligned with ``keys``.
    public var components: [any ActionDistribution] { joint.factors }

    /// The distribution of action `key`, if the space has it.
    public subscript(key: String) -> (any ActionDistribution)? {
        keys.firstIndex(of: key).map { joint.factors[$0] }
    }

    /// The columns of action `key` within a flat action row.
    public func columns(of key: String) -> Range<Int>? {
        keys.firstIndex(of: key).map(joint.columns)
    }

    public var batchSize: Int { joint.batchSize }
    public var actionWidth: Int { joint.actionWidth }

    public func logProb(_ actions: Tensor) throws -> Variable {
        try checkActions(actions)
        return try joint.logProb(actions)
    }

    public func entropy() throws -> Variable { try joint.entropy() }

    public func sample(using random: inout MazeRandom) throws -> Tensor { try joint.sample(using: &random) }

    public func mode() throws -> Tensor { try joint.mode() }

    public func kl(to other: any ActionDistribution) throws -> Variable {
        let other = try sameKind(other, as: Self.self)
        guard other.keys == keys else {
            throw PerceptionError.incompatibleDistributions("KL between dictionary distributions over \(keys) and \(other.keys)")
        }
        return try joint.kl(to: other.joint)
    }
}
