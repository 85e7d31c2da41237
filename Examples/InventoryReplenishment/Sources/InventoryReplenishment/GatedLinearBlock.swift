import MazeCore
import MazePerception
import MazeTensor

/// A perception block of this package's own, as Maze's `MyLinearBlock` example is one of its user's: a gated linear
/// unit (Dauphin et al. 2017), `(x·Wᵀ + b) ⊙ σ(x·Vᵀ + c)` on the last axis. Each output is a linear feature that a
/// learned sigmoid gate can switch off, e.g. the reorder signal of a product that is already well stocked.
///
/// A block is a value that knows its shapes and names its parameters: `<name>.value.weight/bias` and
/// `<name>.gate.weight/bias` live in the model's `ParameterStore`, so checkpoints, the learner's weight broadcast and
/// the actors handle them like any built-in block's. Its forward pass is written with MazeTensor's recorded
/// operations, so the tape gives its backward pass; the same code runs without gradients on the actors.
public struct GatedLinearBlock: PerceptionBlock {
    /// The linear part.
    public let value: Linear
    /// The gate's pre-activation.
    public let gate: Linear
    /// The per-sample shape of the input (features on the last axis).
    public let inputShape: [Int]

    /// A block reading one input of per-sample shape `inputShapes[0]`, with `outputUnits` gated units.
    public init(name: String, inputShapes: [[Int]], outputUnits: Int) throws {
        guard inputShapes.count == 1, let features = inputShapes[0].last else {
            throw MazeError.invalidConfiguration(
                "'\(name)': a GatedLinearBlock reads one input with a feature axis, got shapes \(inputShapes)")
        }
        value = try Linear(name: name + ".value", inputs: features, outputs: outputUnits)
        gate = try Linear(name: name + ".gate", inputs: features, outputs: outputUnits)
        inputShape = inputShapes[0]
    }

    public var outputShape: [Int] { inputShape.dropLast() + [value.outputs] }

    /// Orthogonal weights (gain 1) and zero biases, so every gate starts half open.
    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {
        try value.initialize(&parameters, with: .orthogonal(gain: 1), using: &generator)
        try gate.initialize(&parameters, with: .orthogonal(gain: 1), using: &generator)
    }

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        guard inputs.count == 1, Array(inputs[0].shape.dropFirst()) == inputShape else {
            throw MazeError.invalidValue(
                "GatedLinearBlock expects one input of per-sample shape \(inputShape), got \(inputs.map(\.shape))")
        }
        let input = inputs[0]
        return try value(input, parameters) * gate(input, parameters).sigmoid()
    }
}

extension PerceptionRegistry {
    /// Registers ``GatedLinearBlock`` under its name, with its one setting, `output_units` (a custom network's
    /// `in_keys` and `out_keys` wire it; any other key is refused, naming the nearest known one).
    public mutating func registerGatedLinearBlock() throws {
        try blocks.register("GatedLinearBlock") { config in
            let settings = try BlockSettings(config, type: "GatedLinearBlock", keys: ["output_units"])
            let units = try settings.positiveInt("output_units")
            return settings.recipe { name, shapes in
                try GatedLinearBlock(name: name, inputShapes: shapes, outputUnits: units)
            }
        }
    }
}
