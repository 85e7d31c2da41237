import MazeTensor

/// Maze's `PerceptionBlock`: a named piece of a network that maps input tensors to one output tensor
/// and knows its shapes, so that networks can be assembled from configuration before any data flows.
///
/// Inputs and output carry a leading batch axis; `outputShape` (like the shapes a block is built from)
/// is per sample, without it. A block holds only names and sizes: its numbers live in a
/// `ParameterStore` under the block's name, so one description serves training (a tape with
/// `Tape.bind`), acting (`Tape.bindConstants`) and checkpoints. Blocks are values and `Sendable`.
public protocol PerceptionBlock: Sendable {
    /// The per-sample shape of the output.
    var outputShape: [Int] { get }
    /// Writes freshly drawn parameters (if the block has any) into `parameters`.
    func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws
    /// The output for `inputs` (each `[batch] + its per-sample shape`) on the tape of `parameters`.
    func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable
}

extension PerceptionBlock {
    /// The output without gradients, for actors: the tape-recorded forward pass on a scratch tape whose
    /// parameters are constants (nothing is kept for a backward pass).
    public func callAsFunction(_ inputs: [Tensor], _ parameters: ParameterStore) throws -> Tensor {
        let tape = Tape()
        return try self(inputs.map { tape.constant($0) }, tape.bindConstants(parameters)).value
    }
}

/// Checks of block inputs shared by the blocks.
enum BlockInputs {
    /// Throws unless `inputs` has `count` entries (or `count ± optional` trailing ones) with the batch of the first.
    static func check(_ inputs: [Variable], _ block: String, count: ClosedRange<Int>) throws {
        guard count.contains(inputs.count) else {
            throw PerceptionError.invalidConfiguration(
                "\(block) takes \(count.lowerBound == count.upperBound ? "\(count.lowerBound)" : "\(count.lowerBound) to \(count.upperBound)") inputs, got \(inputs.count)"
            )
        }
        guard let batch = inputs.first?.shape.first, inputs.allSatisfy({ $0.shape.first == batch }) else {
            throw PerceptionError.batchMismatch("\(block): inputs \(inputs.map(\.shape)) do not share a batch axis")
        }
    }

    /// Throws unless `input` is `[batch] + shape`.
    static func expect(_ input: Variable, shape: [Int], _ block: String) throws {
        guard input.shape.count == shape.count + 1, Array(input.shape.dropFirst()) == shape else {
            throw PerceptionError.batchMismatch(
                "\(block) expects inputs of per-sample shape \(shape), got \(Array(input.shape.dropFirst()))")
        }
    }

    /// `shape` without axis `axis` (a pooled or sliced axis).
    static func shape(_ shape: [Int], removing axis: Int) -> [Int] {
        var result = shape
        result.remove(at: axis)
        return result
    }

    /// A per-sample mask input (`> 0.5` is true) as a boolean mask of the same shape.
    static func mask(_ input: Variable) throws -> Mask {
        try Mask(shape: input.shape, elements: input.value.scalars.map { $0 > 0.5 })
    }
}

/// A block made of convolution layers only (VGG and strided stacks), initialised alike.
protocol ConvolutionStack: PerceptionBlock {
    var convolutions: [Conv2d] { get }
}

extension ConvolutionStack {
    /// Orthogonal weights with gain √2 (as the dense layers of the template models), zero biases.
    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {
        for convolution in convolutions {
            try convolution.initialize(&parameters, with: .orthogonal(gain: Float(2).squareRoot()), using: &generator)
        }
    }
}
