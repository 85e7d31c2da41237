import MazeTensor

/// Maze's `DenseBlock`: fully connected layers of `hiddenUnits` widths, each followed by the
/// non-linearity (unlike an MLP whose last layer is linear). Parameters are `<name>.<layer>.weight/bias`.
public struct DenseBlock: Sendable, Equatable, Codable {
    /// The layers, in order.
    public let layers: MLP
    /// Width of the output: the last hidden width.
    public var outputs: Int { layers.layers[layers.layers.count - 1].outputs }

    /// A block reading `inputs` columns; `hiddenUnits` must be non-empty and positive.
    public init(name: String, inputs: Int, hiddenUnits: [Int], nonLinearity: Activation) throws {
        guard !hiddenUnits.isEmpty else { throw PerceptionError.invalidConfiguration("'\(name)': a DenseBlock needs at least one hidden layer") }
        layers = try MLP(name: name, sizes: [inputs] + hiddenUnits, activation: nonLinearity, outputActivation: nonLinearity)
    }

    /// Draws the weights (orthogonal, gain √2 as PPO implementations use for hidden layers).
    func initialize(_ parameters: inout ParameterStore, using generator: inout some RandomNumberGenerator) throws {
        try layers.initialize(&parameters, hidden: .orthogonal(gain: Float(2).squareRoot()), using: &generator)
    }

    /// Forward pass on a tape.
    public func callAsFunction(_ input: Variable, _ parameters: BoundParameters) throws -> Variable {
        try layers(input, parameters)
    }

    /// Forward pass without gradients.
    public func callAsFunction(_ input: Tensor, _ parameters: ParameterStore) throws -> Tensor {
        try layers(input, parameters)
    }
}
