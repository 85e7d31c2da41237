import MazeCore
import MazeTensor

/// Independent categoricals per row, one per entry of a MultiDiscrete space (`nvec`); the logits of
/// all entries lie side by side in one `[batch, Σ nvec]` variable.
public struct MultiCategoricalDistribution: ActionDistribution {
    /// One categorical per entry, in order.
    public let components: [CategoricalDistribution]

    /// `logits` is `[batch, Σ nvec]`; `mask`, when given, has the same shape.
    public init(logits: Variable, nvec: [Int], mask: Mask? = nil) throws {
        let total = nvec.reduce(0, +)
        guard !nvec.isEmpty, logits.shape.count == 2, logits.shape[1] == total else {
            throw PerceptionError.batchMismatch("multi-categorical logits need shape [batch, \(total)], got \(logits.shape)")
        }
        var components: [CategoricalDistribution] = []
        var offset = 0
        for count in nvec {
            let range = offset..<(offset + count)
            let componentMask = try mask.map { mask throws in try Self.columns(range, of: mask, width: total) }
            components.append(try CategoricalDistribution(logits: logits.columns(range), mask: componentMask))
            offset += count
        }
        self.components = components
    }

    public var batchSize: Int { components[0].batchSize }
    public var actionWidth: Int { components.count }

    public func logProb(_ actions: Tensor) throws -> Variable {
        try checkActions(actions)
        return try sum { index, component in try component.logProb(actions.columns(index..<(index + 1))) }
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
        return try sum { index, component in try component.kl(to: other.components[index]) }
    }

    private func sum(_ term: (Int, CategoricalDistribution) throws -> Variable) throws -> Variable {
        var total = try term(0, components[0])
        for index in components.indices.dropFirst() { total = try total + term(index, components[index]) }
        return total
    }

    private static func columns(_ range: Range<Int>, of mask: Mask, width: Int) throws -> Mask {
        let rows = mask.elements.count / width
        var elements: [Bool] = []
        for row in 0..<rows { elements.append(contentsOf: mask.elements[(row * width + range.lowerBound)..<(row * width + range.upperBound)]) }
        return try Mask(shape: [rows, range.count], elements: elements)
    }
}
