/// One LSTM layer as `torch.nn.LSTM(batch_first=True)` (Hochreiter & Schmidhuber 1997, with forget gate):
///
///     i, f, g, o = σ(x W_iiᵀ + h W_hiᵀ + b), σ(…), tanh(…), σ(…)   (gate order of torch)
///     c' = f ⊙ c + i ⊙ g,   h' = o ⊙ tanh(c')
///
/// Parameters under `<name>.weight_ih` `[4H, I]`, `<name>.weight_hh` `[4H, H]`, `<name>.bias_ih`, `<name>.bias_hh`
/// `[4H]`. The input projection of all time steps is one gemm; each step adds one `[B, H] × [H, 4H]` gemm.
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
        let hiddenWeight = try parameters[hiddenWeightName]
        let hiddenBias = try parameters[hiddenBiasName]
        var current: State
        if let state { current = state } else { current = try zeroState(batch: batch, on: input.tape) }
        var outputs: [Variable] = []
        for step in 0..<steps {
            let gates =
                try projected.slice(alongAxis: 1, step..<(step + 1)).reshaped(to: [batch, 4 * h])
                + current.hidden.linear(weight: hiddenWeight, bias: hiddenBias)
            let inputGate = try gates.slice(alongAxis: 1, 0..<h).sigmoid()
            let forgetGate = try gates.slice(alongAxis: 1, h..<(2 * h)).sigmoid()
            let candidate = try gates.slice(alongAxis: 1, (2 * h)..<(3 * h)).tanh()
            let outputGate = try gates.slice(alongAxis: 1, (3 * h)..<(4 * h)).sigmoid()
            let cell = try forgetGate * current.cell + inputGate * candidate
            current = State(hidden: try outputGate * cell.tanh(), cell: cell)
            outputs.append(try current.hidden.reshaped(to: [batch, 1, h]))
        }
        return (try Variable.concatenate(outputs, alongAxis: 1), current)
    }
}
