import CMazeKernels

/// The element-wise function applied after a fused `linear` layer.
public enum Activation: String, Sendable, Codable, CaseIterable {
    case identity
    case tanh
    case relu
    /// Scaled exponential linear unit (Klambauer et al. 2017, torch's `SELU`): `λ x` above 0, `λ α (eˣ − 1)` below.
    case selu

    /// A number standing for the activation, for an ``Operation`` to keep it inline.
    var ordinal: Int {
        switch self {
        case .identity: 0
        case .tanh: 1
        case .relu: 2
        case .selu: 3
        }
    }

    /// The activation of `ordinal` (`identity` for any number no activation stands for).
    init(ordinal: Int) {
        switch ordinal {
        case 1: self = .tanh
        case 2: self = .relu
        case 3: self = .selu
        default: self = .identity
        }
    }

    /// Adds `bias` (length `columns`, optional) to each row of `output` and applies the activation in
    /// place, in one pass over memory. The loop is C (`maze_bias_activation`, vectorised for the CPU it runs on);
    /// its tanh is ``FastMath/tanh(_:)`` operation for operation, so both give the same bits.
    func applyWithBias(_ output: UnsafeMutableBufferPointer<Float>, bias: UnsafeBufferPointer<Float>?, columns: Int) {
        guard columns > 0, let start = output.baseAddress else { return }
        maze_bias_activation(start, bias?.baseAddress, output.count / columns, columns, kernelCode)
    }

    /// `gradient[i] = upstream[i] · f'(x_i)`, written in terms of the activation's output `y_i`
    /// (`maze_activation_derivative`).
    func derivative(
        upstream: UnsafeBufferPointer<Float>, output: UnsafeBufferPointer<Float>,
        into gradient: UnsafeMutableBufferPointer<Float>
    ) {
        guard let target = gradient.baseAddress, let upstream = upstream.baseAddress, let output = output.baseAddress
        else { return }
        maze_activation_derivative(upstream, output, target, gradient.count, kernelCode)
    }

    /// The activation's number in the C kernels.
    private var kernelCode: Int32 {
        switch self {
        case .identity: Int32(MAZE_ACTIVATION_IDENTITY)
        case .tanh: Int32(MAZE_ACTIVATION_TANH)
        case .relu: Int32(MAZE_ACTIVATION_RELU)
        case .selu: Int32(MAZE_ACTIVATION_SELU)
        }
    }
}
