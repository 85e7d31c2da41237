import MazeCore
import MazeTensor

/// One distribution per action key of a dictionary action space, acting as their product: actions
/// are the keys' columns side by side in the space's flat order, log-probabilities, entropies and
/// KL divergences are sums over the keys.
public struct DictDistribution: ActionDistribution {
    /// The action keys, in the action space's order.
    public let keys: [String]
    /// The distribution of each key, aligned with ``keys``.
    public let components: [any ActionDistribution]
    private let offsets: [Int]

    /// `entries` in the action space's key order; all must have the same batch size.
    public init(_ entries: [(key: String, distribution: any ActionDistribution)]) throws {
        guard let first = entries.first else { throw PerceptionError.batchMismatch("a dictionary distribution needs at least one key") }
        guard entries.allSatisfy({ $0.distribution.batchSize == first.distribution.batchSize }) else {
            throw PerceptionError.batchMismatch("the action keys' distributions have different batch sizes")
        }
        keys = entries.map(\.key)
        components = entries.map(\.distribution)
        var offsets: [Int] = [], offset = 0
        for component in components {
            offsets.append(offset)
            offset += component.actionWidth
        }
        self.offsets = offsets
    }

    /// The distribution of action `key`, if the space has it.
    public subscript(key: String) -> (any ActionDistribution)? {
        keys.firstIndex(of: key).map { components[$0] }
    }

    /// The columns of action `key` within a flat action row.
    public func columns(of key: String) -> Range<Int>? {
        keys.firstIndex(of: key).map { offsets[$0]..<(offsets[$0] + components[$0].actionWidth) }
    }

    public var batchSize: Int { components[0].batchSize }
    public var actionWidth: Int { offsets[offsets.count - 1] + components[components.count - 1].actionWidth }

    public func logProb(_ actions: Tensor) throws -> Variable {
        try checkActions(actions)
        return try sum { index, component in
            try component.logProb(actions.columns(offsets[index]..<(offsets[index] + component.actionWidth)))
        }
    }

    public func entropy() throws -> Variable {
        try sum { _, component in try component.entropy() }
    }

    public func sample(using random: inout MazeRandom) throws -> Tensor {
        var parts: [Tensor] = []
        for component in components { parts.append(try component.sample(using: &random)) }
        return try Tensor.concatenatingColumns(parts)
    }

    public func mode() throws -> Tensor {
        try Tensor.concatenatingColumns(components.map { try $0.mode() })
    }

    public func kl(to other: any ActionDistribution) throws -> Variable {
        let other = try sameKind(other, as: Self.self)
        guard other.keys == keys else {
            throw PerceptionError.incompatibleDistributions("KL between dictionary distributions over \(keys) and \(other.keys)")
        }
        return try sum { index, component in try component.kl(to: other.components[index]) }
    }

    private func sum(_ term: (Int, any ActionDistribution) throws -> Variable) throws -> Variable {
        var total = try term(0, components[0])
        for index in components.indices.dropFirst() { total = try total + term(index, components[index]) }
        return total
    }
}
