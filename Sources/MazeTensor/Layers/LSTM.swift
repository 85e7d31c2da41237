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
        let states = try self.states(input, state: state, parameters)
        let (batch, steps, h) = (input.shape[0], input.shape[1], hiddenSize)
        let outputs = try states.slice(alongAxis: 2, 0..<h)
        let last = try states.slice(alongAxis: 1, (steps - 1)..<steps).reshaped(to: [batch, 2 * h])
        let final = State(
            hidden: try last.slice(alongAxis: 1, 0..<h), cell: try last.slice(alongAxis: 1, h..<(2 * h)))
        return (outputs, final)
    }

    /// Runs the layer over `input` `[B, T, I]` from `state` (zeros when nil) and gives the state after every
    /// step, `[B, T, 2H]` (`h_t` then `c_t`). `keep` (`[B · T]`, row `b · T + t`), when given, multiplies the
    /// state entering step `t` of sequence `b`: 0 resets it (an episode ended before that step), 1 keeps it.
    ///
    /// The input projection of all steps is one gemm; the recurrence is one recorded operation
    /// (``Variable/lstmRecurrence(hiddenWeight:hiddenBias:hidden:cell:keep:)``).
    public func states(_ input: Variable, state: State? = nil, keep: [Float]? = nil, _ parameters: BoundParameters)
        throws(TensorError) -> Variable
    {
        guard input.shape.count == 3, input.shape[2] == inputSize, input.shape[1] > 0 else {
            throw .shapeMismatch(operation: "LSTM '\(name)'", input.shape, [-1, -1, inputSize])
        }
        let projected = try input.linear(weight: parameters[inputWeightName], bias: parameters[inputBiasName])
        let initial: State
        if let state { initial = state } else { initial = try zeroState(batch: input.shape[0], on: input.tape) }
        return try projected.lstmRecurrence(
            hiddenWeight: parameters[hiddenWeightName], hiddenBias: parameters[hiddenBiasName],
            hidden: initial.hidden, cell: initial.cell, keep: keep)
    }
}
