import MazeTensor

/// The recurrent stage of a template model (Maze's `recurrence` modality, e.g. an `LSTMLastStepBlock`): an
/// `LSTMBlock` stepped one env step at a time, whose hidden and cell states are carried from step to step
/// by whoever acts (the rollout collector, the evaluator) instead of being recomputed from a window of past
/// observations.
///
/// The state of a batch row is one flat vector, `[h₀ | c₀ | h₁ | c₁ | …]` over the LSTM layers
/// (``stateWidth`` floats); zeros start an episode. Parameters are the `LSTMBlock`'s, under the block's name.
public struct RecurrentBlock: Sendable {
    /// The LSTM layers and the time-distributed dense layer after them.
    public let lstm: LSTMBlock

    /// The block types a `recurrence` entry may name.
    public static let blockTypes: Set<String> = ["LSTMLastStepBlock", "LSTMBlock"]

    /// Builds the `LSTMBlock` of `recipe` (an `LSTMLastStepBlock` or `LSTMBlock`) named `name`, reading
    /// `inputWidth` features per step.
    public init(name: String, inputWidth: Int, recipe: BlockRecipe) throws {
        guard Self.blockTypes.contains(recipe.type) else {
            throw PerceptionError.invalidConfiguration(
                "recurrence: block_type \(recipe.type) is not recurrent; use one of \(Self.blockTypes.sorted())")
        }
        let block = try recipe.block(name: name, inputShapes: [[1, inputWidth]])
        guard let lstm = block as? LSTMBlock ?? (block as? SequentialBlock)?.stages.first as? LSTMBlock else {
            throw PerceptionError.invalidConfiguration("recurrence: \(recipe.type) did not build an LSTM")
        }
        self.lstm = lstm
    }

    /// Width of the LSTM's hidden state (and of the block's output).
    public var hiddenSize: Int { lstm.layers[0].hiddenSize }
    /// Floats of state per batch row.
    public var stateWidth: Int { 2 * hiddenSize * lstm.layers.count }
    /// Width of the output.
    public var outputs: Int { lstm.dense.outputs }

    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {
        try lstm.initialize(&parameters, using: &generator)
    }

    /// One step for a batch: `input` `[B, F]` and `state` `[B, stateWidth]` give the output `[B, outputs]`
    /// and the next state, on the tape of `parameters`.
    public func step(_ input: Variable, state: Variable, _ parameters: BoundParameters) throws
        -> (output: Variable, state: Variable)
    {
        let batch = input.shape[0]
        guard state.shape == [batch, stateWidth] else {
            throw PerceptionError.batchMismatch(
                "recurrent state \(state.shape) does not fit a batch of \(batch) rows of \(stateWidth) floats")
        }
        let h = hiddenSize
        var sequence = try input.reshaped(to: [batch, 1, input.shape[1]])
        var next: [Variable] = []
        for (index, layer) in lstm.layers.enumerated() {
            let offset = 2 * h * index
            let carried = LSTM.State(
                hidden: try state.slice(alongAxis: 1, offset..<offset + h),
                cell: try state.slice(alongAxis: 1, offset + h..<offset + 2 * h))
            let result = try layer(sequence, state: carried, parameters)
            sequence = result.outputs
            next += [result.state.hidden, result.state.cell]
        }
        let output = try lstm.dense(sequence.reshaped(to: [batch, h]), parameters)
        return (output, next.count == 1 ? next[0] : try Variable.concatenate(next, alongAxis: 1))
    }
}
