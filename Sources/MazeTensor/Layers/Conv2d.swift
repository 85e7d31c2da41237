/// A 2-D convolution layer `activation(conv2d(x, weight) + bias)` whose parameters live in a
/// `ParameterStore` under `<name>.weight` (`[outputs, inputs, kernel, kernel]`, PyTorch's layout) and
/// `<name>.bias` (`[outputs]`). Like `Linear`, it holds only names and sizes.
public struct Conv2d: Sendable, Equatable, Codable {
    /// Prefix of the parameter names.
    public let name: String
    /// Input channels.
    public let inputs: Int
    /// Output channels.
    public let outputs: Int
    /// Side of the square kernel.
    public let kernel: Int
    /// Step between windows along both spatial axes.
    public let stride: Int
    /// Zeros added on every side.
    public let padding: Int
    /// Applied to the output.
    public let activation: Activation

    public init(
        name: String, inputs: Int, outputs: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
        activation: Activation = .identity
    ) throws(TensorError) {
        guard inputs > 0, outputs > 0, kernel > 0, stride > 0, padding >= 0 else {
            throw .invalidArgument(
                "convolution '\(name)' needs positive channels, kernel and stride, got \(inputs) → \(outputs), kernel \(kernel), stride \(stride), padding \(padding)"
            )
        }
        (self.name, self.inputs, self.outputs, self.kernel, self.stride, self.padding, self.activation) = (
            name, inputs, outputs, kernel, stride, padding, activation
        )
    }

    /// `<name>.weight`.
    public var weightName: String { name + ".weight" }
    /// `<name>.bias`.
    public var biasName: String { name + ".bias" }

    /// Output `[height, width]` for an input of `height × width`, or nil when the kernel does not fit.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int)? {
        let h = height + 2 * padding - kernel
        let w = width + 2 * padding - kernel
        guard h >= 0, w >= 0 else { return nil }
        return (h / stride + 1, w / stride + 1)
    }

    /// Draws the weight as an `[outputs, inputs·kernel²]` matrix from `initializer`; zero bias.
    public func initialize(
        _ parameters: inout ParameterStore, with initializer: Initializer,
        using generator: inout some RandomNumberGenerator
    ) throws(TensorError) {
        let matrix = try initializer.weight(outputs: outputs, inputs: inputs * kernel * kernel, using: &generator)
        parameters[weightName] = try matrix.reshaped(to: [outputs, inputs, kernel, kernel])
        parameters[biasName] = try Tensor(repeating: 0, shape: [outputs])
    }

    /// Forward pass on a tape: `[N, inputs, H, W]` → `[N, outputs, H', W']`.
    public func callAsFunction(_ input: Variable, _ parameters: BoundParameters) throws(TensorError) -> Variable {
        let convolved = try input.conv2d(
            weight: parameters[weightName], bias: parameters[biasName], stride: stride, padding: padding)
        return try convolved.activated(activation)
    }
}

extension Variable {
    /// `activation` applied element-wise, as the fused layers apply it.
    public func activated(_ activation: Activation) throws(TensorError) -> Variable {
        switch activation {
        case .identity: self
        case .tanh: try tanh()
        case .relu: try relu()
        case .selu: try selu()
        }
    }
}
