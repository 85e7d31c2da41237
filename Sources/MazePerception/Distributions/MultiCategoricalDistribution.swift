import MazeCore
import MazeTensor

/// Independent categoricals per row, one per entry of a MultiDiscrete space (`nvec`); the logits of
/// all entries lie side by side in one `[batch, Σ nvec]` variable.
struct MultiCategoricalDistribution: FactoredDistribution {
    /// One categorical per entry, in order.
    let components: [CategoricalDistribution]

    /// `logits` is `[batch, Σ nvec]`; `mask`, when given, has the same shape.
    init(logits: Variable, nvec: [Int], mask: Mask? = nil) throws {
        let total = nvec.reduce(0, +)
        guard !nvec.isEmpty, logits.shape.count == 2, logits.shape[1] == total else {
            throw PerceptionError.batchMismatch(
                "multi-categorical logits need shape [batch, \(total)], got \(logits.shape)")
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

    var factors: [any ActionDistribution] { components }

    func kl(to other: any ActionDistribution) throws -> Variable {
        try factorwiseKL(to: sameKind(other, as: Self.self))
    }

    private static func columns(_ range: Range<Int>, of mask: Mask, width: Int) throws -> Mask {
        let rows = mask.elements.count / width
        var elements: [Bool] = []
        for row in 0..<rows {
            elements.append(
                contentsOf: mask.elements[(row * width + range.lowerBound)..<(row * width + range.upperBound)])
        }
        return try Mask(shape: [rows, range.count], elements: elements)
    }
}
