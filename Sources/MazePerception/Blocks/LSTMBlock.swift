import MazeTensor

/// Maze's `LSTMBlock`: `num_layers` stacked LSTM layers over a sequence `[T, F]` (zero initial state),
/// followed by a time-distributed dense layer of `hidden_size` units with the non-linearity; output
/// `[T, hidden_size]`. Parameters `<name>.lstm.<layer>.weight_ih/…` and `<name>.dense.0.weight/bias`.
public struct LSTMBlock: PerceptionBlock, Equatable, Codable {
    public let inputShape: [Int]
    public let layers: [LSTM]
    public let dense: DenseBlock

    public init(name: String, inputShape: [Int], hiddenSize: Int, numLayers: Int, nonLinearity: Activation) throws {
        guard inputShape.count == 2, inputShape.allSatisfy({ $0 > 0 }) else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': an LSTMBlock needs a sequence [time, features], got \(inputShape)")
        }
        guard numLayers > 0 else {
            throw PerceptionError.invalidConfiguration("'\(name)': num_layers must be positive, got \(numLayers)")
        }
        layers = try (0..<numLayers).map { layer in
            try LSTM(
                name: "\(name).lstm.\(layer)", inputSize: layer == 0 ? inputShape[1] : hiddenSize,
                hiddenSize: hiddenSize)
        }
        dense = try DenseBlock(
            name: "\(name).dense", inputShape: [inputShape[0], hiddenSize], hiddenUnits: [hiddenSize],
            nonLinearity: nonLinearity)
        self.inputShape = inputShape
    }

    public var outputShape: [Int] { dense.outputShape }

    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {
        for layer in layers { try layer.initialize(&parameters, using: &generator) }
        try dense.initialize(&parameters, using: &generator)
    }

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "LSTMBlock", count: 1...1)
        try BlockInputs.expect(inputs[0], shape: inputShape, "LSTMBlock")
        var sequence = inputs[0]
        for layer in layers { sequence = try layer(sequence, parameters).outputs }
        return try dense(sequence, parameters)
    }
}
