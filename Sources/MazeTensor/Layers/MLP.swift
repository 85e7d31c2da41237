/// A stack of `Linear` layers named `<name>.0`, `<name>.1`, …: hidden layers use `activation`,
/// the last one `outputActivation` (usually identity, giving logits or values).
public struct MLP: Sendable, Equatable, Codable {
    /// Prefix of every parameter name.
    public let name: String
    /// The layers in application order.
    public let layers: [Linear]

    /// `sizes` lists the input width followed by every layer's width, e.g. `[4, 64, 64, 2]`.
    public init(name: String, sizes: [Int], activation: Activation, outputActivation: Activation = .identity)
        throws(TensorError)
    {
        guard sizes.count >= 2 else {
            throw .invalidArgument("an MLP needs an input and at least one layer size, got \(sizes)")
        }
        var layers: [Linear] = []
        for index in 0..<(sizes.count - 1) {
            let isLast = index == sizes.count - 2
            layers.append(
                try Linear(
                    name: "\(name).\(index)", inputs: sizes[index], outputs: sizes[index + 1],
                    activation: isLast ? outputActivation : activation))
        }
        self.name = name
        self.layers = layers
    }

    /// Initialises every layer with `hidden`, except the last which uses `output` when given
    /// (PPO: orthogonal √2 for hidden layers, 0.01 for the policy head).
    public func initialize(
        _ parameters: inout ParameterStore, hidden: Initializer, output: Initializer? = nil,
        using generator: inout some RandomNumberGenerator
    ) throws(TensorError) {
        for (index, layer) in layers.enumerated() {
            let isLast = index == layers.count - 1
            try layer.initialize(&parameters, with: isLast ? (output ?? hidden) : hidden, using: &generator)
        }
    }

    /// Forward pass on a tape, for training.
    public func callAsFunction(_ input: Variable, _ parameters: BoundParameters) throws(TensorError) -> Variable {
        var activations = input
        for layer in layers { activations = try layer(activations, parameters) }
        return activations
    }

    /// Batched forward pass without gradients, for actors.
    public func callAsFunction(_ input: Tensor, _ parameters: ParameterStore) throws(TensorError) -> Tensor {
        var activations = input
        for layer in layers { activations = try layer(activations, parameters) }
        return activations
    }
}
