import MazeTensor

/// The per-sample axis that torch's `dim` (counted on the batched tensor, negative from the end) names.
func perSampleAxis(_ dim: Int, rank: Int, key: String, block: String) throws -> Int {
    let axis = dim < 0 ? rank + dim : dim - 1
    guard axis >= 0, axis < rank else {
        throw PerceptionError.invalidConfiguration(
            "\(block): \(key) \(dim) is not a per-sample axis of a rank-\(rank) input (the batch axis 0 cannot be used)"
        )
    }
    return axis
}

/// Maze's `SliceBlock`: index `slice_idx` of axis `slice_dim`, which disappears from the shape
/// (`LSTMLastStepBlock` keeps the last time step with `slice_idx: -1`).
public struct SliceBlock: PerceptionBlock, Equatable, Codable {
    public let inputShape: [Int]
    public let axis: Int
    public let index: Int

    public init(name: String, inputShape: [Int], sliceDim: Int, sliceIndex: Int) throws {
        axis = try perSampleAxis(sliceDim, rank: inputShape.count, key: "slice_dim", block: "'\(name)'")
        let length = inputShape[axis]
        index = sliceIndex < 0 ? length + sliceIndex : sliceIndex
        guard index >= 0, index < length else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': slice_idx \(sliceIndex) is outside an axis of length \(length)")
        }
        self.inputShape = inputShape
    }

    public var outputShape: [Int] { BlockInputs.shape(inputShape, removing: axis) }

    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {}

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "SliceBlock", count: 1...1)
        try BlockInputs.expect(inputs[0], shape: inputShape, "SliceBlock")
        return try inputs[0].slice(alongAxis: axis + 1, index..<(index + 1)).reshaped(
            to: [inputs[0].shape[0]] + outputShape)
    }
}

/// Maze's `MultiIndexSlicingBlock`: the entries `select_idxs` of axis `select_dim`, in that order.
public struct MultiIndexSlicingBlock: PerceptionBlock, Equatable, Codable {
    public let inputShape: [Int]
    public let axis: Int
    public let indices: [Int]

    public init(name: String, inputShape: [Int], selectDim: Int, selectIndices: [Int]) throws {
        axis = try perSampleAxis(selectDim, rank: inputShape.count, key: "select_dim", block: "'\(name)'")
        let length = inputShape[axis]
        indices = selectIndices.map { $0 < 0 ? length + $0 : $0 }
        guard !indices.isEmpty, indices.allSatisfy({ $0 >= 0 && $0 < length }) else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': select_idxs \(selectIndices) must be non-empty indices of an axis of length \(length)")
        }
        self.inputShape = inputShape
    }

    public var outputShape: [Int] {
        var shape = inputShape
        shape[axis] = indices.count
        return shape
    }

    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {}

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "MultiIndexSlicingBlock", count: 1...1)
        try BlockInputs.expect(inputs[0], shape: inputShape, "MultiIndexSlicingBlock")
        let parts = try indices.map { try inputs[0].slice(alongAxis: axis + 1, $0..<($0 + 1)) }
        return parts.count == 1 ? parts[0] : try Variable.concatenate(parts, alongAxis: axis + 1)
    }
}

/// Maze's `RepeatToMatchBlock`: the first input gains an axis at `repeat_at_idx` and is repeated along
/// it to the length the second input has there (e.g. one feature vector per element of a set).
public struct RepeatToMatchBlock: PerceptionBlock, Equatable, Codable {
    public let inputShape: [Int]
    public let axis: Int
    public let count: Int

    public init(name: String, inputShapes: [[Int]], repeatAtIndex: Int) throws {
        guard inputShapes.count == 2 else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': a RepeatToMatchBlock reads the tensor to repeat and the one to match, got \(inputShapes.count) inputs"
            )
        }
        let rank = inputShapes[0].count + 1
        axis = try perSampleAxis(repeatAtIndex, rank: rank, key: "repeat_at_idx", block: "'\(name)'")
        guard inputShapes[1].count == rank else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': the input to match \(inputShapes[1]) must have one axis more than \(inputShapes[0])")
        }
        count = inputShapes[1][axis]
        inputShape = inputShapes[0]
    }

    public var outputShape: [Int] {
        var shape = inputShape
        shape.insert(count, at: axis)
        return shape
    }

    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {}

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "RepeatToMatchBlock", count: 2...2)
        try BlockInputs.expect(inputs[0], shape: inputShape, "RepeatToMatchBlock")
        var single = [inputs[0].shape[0]] + inputShape
        single.insert(1, at: axis + 1)
        let unsqueezed = try inputs[0].reshaped(to: single)
        return count == 1
            ? unsqueezed
            : try Variable.concatenate([Variable](repeating: unsqueezed, count: count), alongAxis: axis + 1)
    }
}

/// Maze's `CorrelationBlock`: the element-wise product of two feature tensors whose last axes agree, the
/// one of lower rank broadcast over the other's leading axes (e.g. a query `[D]` against a set `[N, D]`);
/// with `reduce` the product is summed over the last axis, giving dot-product similarities.
public struct CorrelationBlock: PerceptionBlock, Equatable, Codable {
    public let inputShapes: [[Int]]
    public let reduce: Bool

    public init(name: String, inputShapes: [[Int]], reduce: Bool) throws {
        guard inputShapes.count == 2, let a = inputShapes[0].last, a == inputShapes[1].last,
            inputShapes[0].suffix(min(inputShapes[0].count, inputShapes[1].count))
                == inputShapes[1].suffix(min(inputShapes[0].count, inputShapes[1].count))
        else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': a CorrelationBlock needs two inputs whose trailing axes agree, got \(inputShapes)")
        }
        self.inputShapes = inputShapes
        self.reduce = reduce
    }

    private var larger: [Int] { inputShapes[0].count >= inputShapes[1].count ? inputShapes[0] : inputShapes[1] }

    public var outputShape: [Int] { reduce ? Array(larger.dropLast()) : larger }

    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {}

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "CorrelationBlock", count: 2...2)
        for (input, shape) in zip(inputs, inputShapes) {
            try BlockInputs.expect(input, shape: shape, "CorrelationBlock")
        }
        let batch = inputs[0].shape[0]
        let rank = larger.count
        // The lower-rank input gains unit axes after the batch axis, so that broadcasting lines the features up.
        let aligned = try zip(inputs, inputShapes).map { input, shape in
            try input.reshaped(to: [batch] + [Int](repeating: 1, count: rank - shape.count) + shape)
        }
        let product = try aligned[0] * aligned[1]
        return reduce ? try product.sum(alongAxis: -1) : product
    }
}

/// Maze's `ActionMaskingBlock`: logits `[A]` and a mask `[A]` (1 = allowed); disallowed logits are
/// replaced by a large negative number, so that their probability is 0, and receive no gradient.
public struct ActionMaskingBlock: PerceptionBlock, Equatable, Codable {
    public let inputShape: [Int]

    public init(name: String, inputShapes: [[Int]]) throws {
        guard inputShapes.count == 2, inputShapes[0] == inputShapes[1] else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': an ActionMaskingBlock reads logits and a mask of the same shape, got \(inputShapes)")
        }
        inputShape = inputShapes[0]
    }

    public var outputShape: [Int] { inputShape }

    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {}

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "ActionMaskingBlock", count: 2...2)
        try BlockInputs.expect(inputs[0], shape: inputShape, "ActionMaskingBlock")
        let disallowed = try Mask(shape: inputs[1].shape, elements: inputs[1].value.scalars.map { $0 <= 0.5 })
        return try inputs[0].maskedFill(disallowed, with: -1e9)
    }
}

/// Maze's `ConcatenationBlock`: the inputs joined along `concat_dim` (all other axes agree).
public struct ConcatenationBlock: PerceptionBlock, Equatable, Codable {
    public let inputShapes: [[Int]]
    public let axis: Int

    public init(name: String, inputShapes: [[Int]], concatDim: Int) throws {
        guard let first = inputShapes.first else {
            throw PerceptionError.invalidConfiguration("'\(name)': nothing to concatenate")
        }
        axis = try perSampleAxis(concatDim, rank: first.count, key: "concat_dim", block: "'\(name)'")
        for shape in inputShapes {
            var a = shape
            var b = first
            guard a.count == b.count else {
                throw PerceptionError.invalidConfiguration("'\(name)': cannot concatenate shapes \(inputShapes)")
            }
            a[axis] = 0
            b[axis] = 0
            guard a == b else {
                throw PerceptionError.invalidConfiguration(
                    "'\(name)': cannot concatenate shapes \(inputShapes) along \(concatDim)")
            }
        }
        self.inputShapes = inputShapes
    }

    public var outputShape: [Int] {
        var shape = inputShapes[0]
        shape[axis] = inputShapes.reduce(0) { $0 + $1[axis] }
        return shape
    }

    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {}

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "ConcatenationBlock", count: inputShapes.count...inputShapes.count)
        for (input, shape) in zip(inputs, inputShapes) {
            try BlockInputs.expect(input, shape: shape, "ConcatenationBlock")
        }
        return inputs.count == 1 ? inputs[0] : try Variable.concatenate(inputs, alongAxis: axis + 1)
    }
}
