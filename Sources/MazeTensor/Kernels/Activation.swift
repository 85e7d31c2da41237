/// The element-wise function applied after a fused `linear` layer.
public enum Activation: String, Sendable, Codable, CaseIterable {
    case identity
    case tanh
    case relu

    /// Adds `bias` (length `columns`, optional) to each row of `output` and applies the activation in
    /// place, in one pass over memory.
    func applyWithBias(_ output: UnsafeMutableBufferPointer<Float>, bias: UnsafeBufferPointer<Float>?, columns: Int) {
        guard columns > 0 else { return }
        let rows = output.count / columns
        for row in 0..<rows {
            let line = UnsafeMutableBufferPointer(rebasing: output[(row * columns)..<((row + 1) * columns)])
            if let bias {
                for column in 0..<columns { line[column] += bias[column] }
            }
            switch self {
            case .identity: break
            case .tanh: for column in 0..<columns { line[column] = FastMath.tanh(line[column]) }
            case .relu: for column in 0..<columns { line[column] = max(line[column], 0) }
            }
        }
    }

    /// `gradient[i] = upstream[i] · f'(x_i)`, written in terms of the activation's output `y_i`.
    func derivative(
        upstream: UnsafeBufferPointer<Float>, output: UnsafeBufferPointer<Float>,
        into gradient: UnsafeMutableBufferPointer<Float>
    ) {
        switch self {
        case .identity:
            for index in gradient.indices { gradient[index] = upstream[index] }
        case .tanh:
            for index in gradient.indices { gradient[index] = upstream[index] * (1 - output[index] * output[index]) }
        case .relu:
            for index in gradient.indices { gradient[index] = output[index] > 0 ? upstream[index] : 0 }
        }
    }
}
