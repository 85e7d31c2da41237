/// A fully connected layer `activation(x · weightᵀ + bias)` whose parameters live in a
/// `ParameterStore` under `<name>.weight` (`[outputs, inputs]`) and `<name>.bias` (`[outputs]`).
///
/// The layer itself holds no numbers, only their names and shapes, so one description serves the
/// learner's tape, the actors' no-gradient forward and checkpoints alike.
public struct Linear: Sendable, Equatable, Codable {
    /// Prefix of the parameter names, e.g. `policy.0`.
    public let name: String
    /// Width of the input's last axis.
    public let inputs: Int
    /// Width of the output's last axis.
    public let outputs: Int
    /// Applied to the output, fused with the bias.
    public let activation: Activation
    /// `<name>.weight`, shape `[outputs, inputs]` (made once: a pass looks it up on every call).
    public let weightName: String
    /// `<name>.bias`, shape `[outputs]`.
    public let biasName: String

    private enum CodingKeys: String, CodingKey { case name, inputs, outputs, activation }

    /// A layer description; sizes must be positive.
    public init(name: String, inputs: Int, outputs: Int, activation: Activation = .identity) throws(TensorError) {
        guard inputs > 0, outputs > 0 else {
            throw .invalidArgument("layer '\(name)' needs positive sizes, got \(inputs) → \(outputs)")
        }
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.activation = activation
        weightName = name + ".weight"
        biasName = name + ".bias"
    }

    /// Decoded as constructed (the sizes are checked; the parameter names follow from `name`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            name: container.decode(String.self, forKey: .name), inputs: container.decode(Int.self, forKey: .inputs),
            outputs: container.decode(Int.self, forKey: .outputs),
            activation: container.decode(Activation.self, forKey: .activation))
    }

    /// Writes freshly drawn weights and zero biases into `parameters`.
    public func initialize(
        _ parameters: inout ParameterStore, with initializer: Initializer,
        using generator: inout some RandomNumberGenerator
    ) throws(TensorError) {
        parameters[weightName] = try initializer.weight(outputs: outputs, inputs: inputs, using: &generator)
        parameters[biasName] = Tensor(uncheckedShape: [outputs], scalars: [Float](repeating: 0, count: outputs))
    }

    /// Forward pass on a tape, for training.
    public func callAsFunction(_ input: Variable, _ parameters: BoundParameters) throws(TensorError) -> Variable {
        try input.linear(weight: parameters[weightName], bias: parameters[biasName], activation: activation)
    }

    /// Forward pass without gradients: no tape, one allocation for the result.
    public func callAsFunction(_ input: Tensor, _ parameters: ParameterStore) throws(TensorError) -> Tensor {
        let weight = try parameters.tensor(named: weightName)
        let bias = try parameters.tensor(named: biasName)
        guard weight.shape == [outputs, inputs], bias.shape == [outputs] else {
            throw .shapeMismatch(operation: "layer '\(name)' parameters", weight.shape, [outputs, inputs])
        }
        guard input.rank >= 1, input.shape[input.rank - 1] == inputs, input.scalarCount > 0 else {
            throw .shapeMismatch(operation: "layer '\(name)'", input.shape, weight.shape)
        }
        let rows = input.scalarCount / inputs
        // Left unfilled: the gemm (beta = 0) writes every element before anything reads it.
        var output = [Float](unsafeUninitializedCapacity: rows * outputs) { _, count in count = rows * outputs }
        LinearKernel.forward(
            input: input, weight: weight, bias: bias, activation: activation, rows: rows, into: &output)
        var shape = input.shape
        shape[shape.count - 1] = outputs
        return Tensor(uncheckedShape: shape, scalars: output)
    }
}
