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
        try sequence(input, initialState: state, keep: nil, stepCount: 1, parameters)
    }

    /// `stepCount` steps of `batch` sequences at once: `rows` `[stepCount · batch, F]` time-major (step `t` of
    /// sequence `b` is row `t · batch + b`) from `initialState` `[batch, stateWidth]` give the outputs
    /// `[stepCount · batch, outputs]` and the state after each step `[stepCount · batch, stateWidth]` (before
    /// any reset). `keep` (time-major like `rows`), when given, multiplies the state entering each step: 0 where
    /// an episode ended before it. Each LSTM layer runs the whole sequence as one input gemm and one recurrence
    /// (truncated back-propagation through time over the `stepCount` steps).
    public func sequence(
        _ rows: Variable, initialState: Variable, keep: [Float]?, stepCount: Int, _ parameters: BoundParameters
    ) throws -> (output: Variable, state: Variable) {
        let batch = initialState.shape[0]
        guard initialState.shape == [batch, stateWidth], stepCount > 0, rows.shape.count == 2,
            rows.shape[0] == stepCount * batch, keep.map({ $0.count == rows.shape[0] }) ?? true
        else {
            throw PerceptionError.batchMismatch(
                "recurrent state \(initialState.shape) (rows of \(stateWidth) floats), \(keep?.count ?? 0) reset "
                    + "flags and inputs \(rows.shape) do not make \(stepCount) steps")
        }
        let h = hiddenSize
        let batchMajorKeep = keep.map { keep in
            (0..<batch).flatMap { row in (0..<stepCount).map { keep[$0 * batch + row] } }
        }
        var sequence = try rows.reshaped(to: [stepCount, batch, rows.shape[1]]).transposed(0, 1)
        var states: [Variable] = []
        for (index, layer) in lstm.layers.enumerated() {
            let offset = 2 * h * index
            let carried = LSTM.State(
                hidden: try initialState.slice(alongAxis: 1, offset..<offset + h),
                cell: try initialState.slice(alongAxis: 1, offset + h..<offset + 2 * h))
            let layerStates = try layer.states(sequence, state: carried, keep: batchMajorKeep, parameters)
            states.append(layerStates)
            sequence = try layerStates.slice(alongAxis: 2, 0..<h)
        }
        let allStates = states.count == 1 ? states[0] : try Variable.concatenate(states, alongAxis: 2)
        let timeMajor = { (batchMajor: Variable, width: Int) throws -> Variable in
            stepCount == 1
                ? try batchMajor.reshaped(to: [batch, width])
                : try batchMajor.transposed(0, 1).reshaped(to: [stepCount * batch, width])
        }
        return (try lstm.dense(timeMajor(sequence, h), parameters), try timeMajor(allStates, stateWidth))
    }
}
