/// One LSTM layer as `torch.nn.LSTM(batch_first=True)` (Hochreiter & Schmidhuber 1997, with forget gate):
///
///     i, f, g, o = σ(x W_iiᵀ + h W_hiᵀ + b), σ(…), tanh(…), σ(…)   (gate order of torch)
///     c' = f ⊙ c + i ⊙ g,   h' = o ⊙ tanh(c')
///
/// Parameters under `<name>.weight_ih` `[4H, I]`, `<name>.weight_hh` `[4H, H]`, `<name>.bias_ih`, `<name>.bias_hh`
/// `[4H]`. The input projection of all time steps is one gemm; the recurrence is one recorded operation in which
/// each step is one `[B, H] × [H, 4H]` gemm over all four gates and one fused pass over them.
public struct LSTM: Sendable, Equatable, Codable {
    /// Prefix of the parameter names.
    public let name: String
    /// `I`: features per time step.
    public let inputSize: Int
    /// `H`: width of the hidden and cell state.
    public let hiddenSize: Int

    /// The state carried from step to step: hidden `h` and cell `c`, each `[B, H]`.
    public struct State {
        public var hidden: Variable
        public var cell: Variable

        public init(hidden: Variable, cell: Variable) {
            self.hidden = hidden
            self.cell = cell
        }
    }

    public init(name: String, inputSize: Int, hiddenSize: Int) throws(TensorError) {
        guard inputSize > 0, hiddenSize > 0 else {
            throw .invalidArgument("LSTM '\(name)' needs positive sizes, got input \(inputSize), hidden \(hiddenSize)")
        }
        self.name = name
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
    }

    private var inputWeightName: String { name + ".weight_ih" }
    private var hiddenWeightName: String { name + ".weight_hh" }
    private var inputBiasName: String { name + ".bias_ih" }
    private var hiddenBiasName: String { name + ".bias_hh" }

    /// `U(-1/√H, 1/√H)` for every parameter, as torch initialises an LSTM.
    public func initialize(_ parameters: inout ParameterStore, using generator: inout some RandomNumberGenerator)
        throws(TensorError)
    {
        let bound = 1 / Float(hiddenSize).squareRoot()
        let gates = 4 * hiddenSize
        func draw(_ shape: [Int]) throws(TensorError) -> Tensor {
            try Tensor(
                shape: shape,
                scalars: (0..<shape.reduce(1, *)).map { _ in Float.random(in: -bound...bound, using: &generator) })
        }
        parameters[inputWeightName] = try draw([gates, inputSize])
        parameters[hiddenWeightName] = try draw([gates, hiddenSize])
        parameters[inputBiasName] = try draw([gates])
        parameters[hiddenBiasName] = try draw([gates])
    }

    /// Zero `h` and `c` for a batch of `batch` sequences.
    public func zeroState(batch: Int, on tape: Tape) throws(TensorError) -> State {
        let zeros = try Tensor(repeating: 0, shape: [batch, hiddenSize])
        return State(hidden: tape.constant(zeros), cell: tape.constant(zeros))
    }

    /// Runs the layer over `input` `[B, T, I]` from `state` (zeros when nil): the hidden states of every
    /// step `[B, T, H]` and the final state.
    public func callAsFunction(_ input: Variable, state: State? = nil, _ parameters: BoundParameters)
        throws(TensorError) -> (outputs: Variable, state: State)
    {
        guard input.shape.count == 3, input.shape[2] == inputSize, input.shape[1] > 0 else {
            throw .shapeMismatch(operation: "LSTM '\(name)'", input.shape, [-1, -1, inputSize])
        }
        let (batch, steps, h) = (input.shape[0], input.shape[1], hiddenSize)
        let projected = try input.linear(weight: parameters[inputWeightName], bias: parameters[inputBiasName])
        let initial: State
        if let state { initial = state } else { initial = try zeroState(batch: batch, on: input.tape) }
        // [B, T + 1, H]: the hidden state of every step, then the final cell.
        let sequence = try projected.lstmRecurrence(
            hiddenWeight: parameters[hiddenWeightName], hiddenBias: parameters[hiddenBiasName],
            hidden: initial.hidden, cell: initial.cell)
        let outputs = try sequence.slice(alongAxis: 1, 0..<steps)
        let final = State(
            hidden: try outputs.slice(alongAxis: 1, (steps - 1)..<steps).reshaped(to: [batch, h]),
            cell: try sequence.slice(alongAxis: 1, steps..<(steps + 1)).reshaped(to: [batch, h]))
        return (outputs, final)
    }
}
