import MazeTensor

/// Maze's `GlobalAveragePoolingBlock`: the mean over every per-sample axis after the first,
/// `[C, H, W]` → `[C]` (Lin et al. 2014, "Network in Network").
public struct GlobalAveragePoolingBlock: PerceptionBlock, Equatable, Codable {
    public let inputShape: [Int]
    public var outputShape: [Int] { [inputShape[0]] }

    public init(name: String, inputShape: [Int]) throws {
        guard inputShape.count >= 2, inputShape.allSatisfy({ $0 > 0 }) else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': global average pooling needs inputs of at least two axes, got \(inputShape)")
        }
        self.inputShape = inputShape
    }

    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {}

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "GlobalAveragePoolingBlock", count: 1...1)
        try BlockInputs.expect(inputs[0], shape: inputShape, "GlobalAveragePoolingBlock")
        return try inputs[0].reshaped(to: [inputs[0].shape[0], inputShape[0], -1]).mean(alongAxis: 2)
    }
}

/// How `MaskedGlobalPoolingBlock` and `PointNetFeatureBlock` reduce a set: Maze's `pooling_func`.
public enum PoolingFunction: String, Sendable, Codable, CaseIterable {
    case mean, sum, max

    /// Reduces per-sample axis `axis` of `input` (`[B] + shape`), counting only the elements where
    /// `mask` (`[B, length]` over that axis, true = present) holds; an empty set pools to zeros.
    func pool(_ input: Variable, axis: Int, mask: Mask?) throws -> Variable {
        let tape = input.tape
        let full = axis + 1
        guard let mask else {
            switch self {
            case .mean: return try input.mean(alongAxis: full)
            case .sum: return try input.sum(alongAxis: full)
            case .max: return try input.max(alongAxis: full)
            }
        }
        // The mask broadcast over the axes after the pooled one.
        var maskShape = [Int](repeating: 1, count: input.shape.count)
        maskShape[0] = input.shape[0]
        maskShape[full] = input.shape[full]
        guard mask.elements.count == maskShape.reduce(1, *) else {
            throw PerceptionError.batchMismatch(
                "a mask of shape \(mask.shape) cannot mask axis \(axis) of inputs \(input.shape)")
        }
        let weights = try tape.constant(Tensor(shape: maskShape, scalars: mask.elements.map { $0 ? 1 : 0 }))
        switch self {
        case .sum: return try (input * weights).sum(alongAxis: full)
        case .mean:
            let counts = try weights.sum(alongAxis: full).maximum(input.constant(1))
            return try (input * weights).sum(alongAxis: full) / counts
        case .max:
            let hidden = try Mask(shape: maskShape, elements: mask.elements.map { !$0 })
            let any = try weights.max(alongAxis: full)
            return try input.maskedFill(hidden, with: -1e9).max(alongAxis: full) * any
        }
    }
}

/// Maze's `MaskedGlobalPoolingBlock`: `pooling_func` (`mean`, `sum`, `max`) over per-sample axis
/// `pooling_dim` of the first input, counting only the elements the optional second input (a 0/1 mask
/// over that axis) marks as present.
public struct MaskedGlobalPoolingBlock: PerceptionBlock, Equatable, Codable {
    public let inputShape: [Int]
    public let function: PoolingFunction
    /// The pooled per-sample axis.
    public let axis: Int

    /// `poolingDim` counts like torch's `dim` on the batched tensor (negative from the end).
    public init(name: String, inputShape: [Int], function: PoolingFunction, poolingDim: Int) throws {
        let axis = poolingDim < 0 ? inputShape.count + poolingDim : poolingDim - 1
        guard axis >= 0, axis < inputShape.count else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': pooling_dim \(poolingDim) is not a per-sample axis of \(inputShape)")
        }
        self.inputShape = inputShape
        self.function = function
        self.axis = axis
    }

    public var outputShape: [Int] { BlockInputs.shape(inputShape, removing: axis) }

    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {}

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "MaskedGlobalPoolingBlock", count: 1...2)
        try BlockInputs.expect(inputs[0], shape: inputShape, "MaskedGlobalPoolingBlock")
        return try function.pool(inputs[0], axis: axis, mask: inputs.count == 2 ? BlockInputs.mask(inputs[1]) : nil)
    }
}
