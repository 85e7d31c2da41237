import MazeCore
import MazeTensor

/// One distribution per action key of a dictionary action space, acting as their product: actions
/// are the keys' columns side by side in the space's flat order, log-probabilities, entropies and
/// KL divergences are sums over the keys.
public struct DictDistribution: FactoredDistribution {
    /// The action keys, in the action space's order.
    public let keys: [String]
    /// The distribution of each key, aligned with ``keys``.
    public let components: [any ActionDistribution]

    /// `entries` in the action space's key order; all must have the same batch size.
    public init(_ entries: [(key: String, distribution: any ActionDistribution)]) throws {
        try self.init(keys: entries.map(\.key), components: entries.map(\.distribution))
    }

    /// `components[i]` is the distribution of `keys[i]`, in the action space's key order; all must have the same
    /// batch size. A policy passes the keys it keeps, so that a training step builds only the components' array.
    public init(keys: [String], components: [any ActionDistribution]) throws {
        guard keys.count == components.count else {
            throw PerceptionError.batchMismatch("\(keys.count) action keys for \(components.count) distributions")
        }
        try Self.validate(components)
        self.keys = keys
        self.components = components
    }

    public var factors: [any ActionDistribution] { components }

    /// The distribution of action `key`, if the space has it.
    public subscript(key: String) -> (any ActionDistribution)? {
        keys.firstIndex(of: key).map { components[$0] }
    }

    /// The columns of action `key` within a flat action row.
    public func columns(of key: String) -> Range<Int>? {
        guard let index = keys.firstIndex(of: key) else { return nil }
        let offset = components[..<index].reduce(0) { $0 + $1.actionWidth }
        return offset..<(offset + components[index].actionWidth)
    }

    public func kl(to other: any ActionDistribution) throws -> Variable {
        let other = try sameKind(other, as: Self.self)
        guard other.keys == keys else {
            throw PerceptionError.incompatibleDistributions(
                "KL between dictionary distributions over \(keys) and \(other.keys)")
        }
        return try factorwiseKL(to: other)
    }
}
