import MazeTensor

/// Maze's `DenseBlock`: fully connected layers of `hiddenUnits` widths, each followed by the
/// non-linearity (unlike an MLP whose last layer is linear), applied to the last axis. Parameters are
/// `<name>.<layer>.weight/bias`.
public struct DenseBlock: PerceptionBlock, Equatable, Codable {
    /// The layers, in order.
    public let layers: MLP
    /// The per-sample shape of the input.
    public let inputShape: [Int]
    /// Width of the output: the last hidden width.
    public var outputs: Int { layers.layers[layers.layers.count - 1].outputs }

    /// A block reading `inputs` columns; `hiddenUnits` must be non-empty and positive.
    public init(name: String, inputs: Int, hiddenUnits: [Int], nonLinearity: Activation) throws {
        try self.init(name: name, inputShape: [inputs], hiddenUnits: hiddenUnits, nonLinearity: nonLinearity)
    }

    /// A block applied to the last axis of inputs of per-sample shape `inputShape`.
    public init(name: String, inputShape: [Int], hiddenUnits: [Int], nonLinearity: Activation) throws {
        guard !hiddenUnits.isEmpty else {
            throw PerceptionError.invalidConfiguration("'\(name)': a DenseBlock needs at least one hidden layer")
        }
        guard let inputs = inputShape.last else {
            throw PerceptionError.invalidConfiguration("'\(name)': a DenseBlock needs inputs with at least one axis")
        }
        layers = try MLP(
            name: name, sizes: [inputs] + hiddenUnits, activation: nonLinearity, outputActivation: nonLinearity)
        self.inputShape = inputShape
    }

    public var outputShape: [Int] { inputShape.dropLast() + [outputs] }

    /// Draws the weights (orthogonal, gain √2 as PPO implementations use for hidden layers).
    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {
        try layers.initialize(&parameters, hidden: .orthogonal(gain: Float(2).squareRoot()), using: &generator)
    }

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "DenseBlock", count: 1...1)
        try BlockInputs.expect(inputs[0], shape: inputShape, "DenseBlock")
        return try layers(inputs[0], parameters)
    }

    /// Forward pass on a tape.
    public func callAsFunction(_ input: Variable, _ parameters: BoundParameters) throws -> Variable {
        try layers(input, parameters)
    }

    /// Forward pass without gradients (no tape: the actors' fast path).
    public func callAsFunction(_ input: Tensor, _ parameters: ParameterStore) throws -> Tensor {
        try layers(input, parameters)
    }
}
