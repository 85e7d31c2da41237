import MazeTensor

/// Maze's `FlattenBlock`: the last `numFlattenDims` per-sample axes merged into one.
public struct FlattenBlock: PerceptionBlock, Equatable, Codable {
    public let inputShape: [Int]
    public let outputShape: [Int]

    public init(name: String, inputShape: [Int], numFlattenDims: Int) throws {
        guard numFlattenDims >= 1, numFlattenDims <= inputShape.count else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': num_flatten_dims \(numFlattenDims) must be in 1...\(inputShape.count) for inputs of \(inputShape)"
            )
        }
        self.inputShape = inputShape
        outputShape = inputShape.dropLast(numFlattenDims) + [inputShape.suffix(numFlattenDims).reduce(1, *)]
    }

    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {}

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "FlattenBlock", count: 1...1)
        try BlockInputs.expect(inputs[0], shape: inputShape, "FlattenBlock")
        return try inputs[0].reshaped(to: [inputs[0].shape[0]] + outputShape)
    }
}
