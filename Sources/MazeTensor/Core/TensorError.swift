/// Why a tensor operation, a parameter lookup or a checkpoint could not be carried out.
///
/// Shapes, names and files can come from configuration or the network, so every such failure is a
/// value the caller can report rather than a crash.
public enum TensorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The number of scalars does not match the product of the shape.
    case scalarCountMismatch(shape: [Int], count: Int)
    /// A dimension is negative.
    case invalidShape([Int])
    /// Two shapes cannot be combined by `operation`.
    case shapeMismatch(operation: String, [Int], [Int])
    /// An axis is outside `-rank..<rank`.
    case invalidAxis(axis: Int, rank: Int)
    /// An argument other than a shape or axis is out of range (an index, a slice bound, a permutation …).
    case invalidArgument(String)
    /// A variable was used with a tape it does not belong to, or after that tape was reset.
    case foreignVariable
    /// Backward was started from a variable that is not a scalar.
    case nonScalarLoss(shape: [Int])
    /// A parameter name is not present.
    case missingParameter(String)
    /// A `.safetensors` file is malformed or uses a feature this reader does not support.
    case malformedCheckpoint(String)

    public var description: String {
        switch self {
        case .scalarCountMismatch(let shape, let count):
            return "shape \(shape) holds \(shape.reduce(1, *)) scalars, but \(count) were given"
        case .invalidShape(let shape):
            return "invalid shape \(shape): dimensions must be non-negative"
        case .shapeMismatch(let operation, let lhs, let rhs):
            return "\(operation): incompatible shapes \(lhs) and \(rhs)"
        case .invalidAxis(let axis, let rank):
            return "axis \(axis) is out of range for rank \(rank)"
        case .invalidArgument(let message):
            return message
        case .foreignVariable:
            return "variable belongs to another tape or to a tape that has been reset"
        case .nonScalarLoss(let shape):
            return "backward needs a scalar loss, got shape \(shape)"
        case .missingParameter(let name):
            return "no parameter named '\(name)'"
        case .malformedCheckpoint(let message):
            return "malformed safetensors data: \(message)"
        }
    }
}
