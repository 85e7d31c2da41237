/// A tensor recorded on a `Tape`: the handle through which operations are written and gradients read.
///
/// Variables are only valid with their own tape and until it is reset; using them otherwise throws
/// `TensorError.foreignVariable`.
public struct Variable {
    /// The tape this variable was recorded on; operations record their results there too.
    public let tape: Tape
    let id: Int
    let generation: Int
    /// The value computed in the forward pass (shared with the tape, not copied).
    public let value: Tensor

    /// Shape of `value`.
    public var shape: [Int] { value.shape }
}
