import MazeTensor

/// A network from flat observation rows to output columns, the shape every template model takes: input
/// branches (selected keys, each optionally through its own block), concatenated, an optional body block,
/// an optional recurrent block (whose state the caller carries, see ``step(_:state:_:)``), then one linear
/// head per output (an action key's distribution parameters, or the value), whose outputs are concatenated
/// in order.
public struct PerceptionNetwork: Sendable {
    /// One input path: some observation keys, optionally processed by a block of their own.
    public struct Branch: Sendable {
        /// Which columns the branch reads.
        public let input: FlattenConcatBlock
        /// The branch's own block (a template model's per-observation block), if any; it reads the
        /// columns reshaped to `block.inputShape` and its output is flattened.
        public let block: BranchBlock?

        public init(input: FlattenConcatBlock, block: BranchBlock?) {
            self.input = input
            self.block = block
        }

        var outputs: Int { block?.outputs ?? input.outputs }
    }

    /// A block reading one observation key in its own shape (an image `[C, H, W]`, a set `[N, F]`).
    public struct BranchBlock: Sendable {
        /// The per-sample shape of the observation.
        public let inputShape: [Int]
        public let block: any PerceptionBlock
        /// The prefix of the block's parameter names (`<network>.<key>`), when known: a critic's branch with the
        /// policy's prefix is the policy's shared embedding (`shared_embedding_keys`), see ``SharedEmbeddings``.
        public let parameterPrefix: String?

        public init(inputShape: [Int], block: any PerceptionBlock, parameterPrefix: String? = nil) {
            self.inputShape = inputShape
            self.block = block
            self.parameterPrefix = parameterPrefix
        }

        /// Width of the flattened output.
        var outputs: Int { block.outputShape.reduce(1, *) }

        /// `[batch, outputs]` from `[batch, columns]` on a tape.
        func callAsFunction(_ columns: Variable, _ parameters: BoundParameters) throws -> Variable {
            if let dense = block as? DenseBlock, inputShape.count == 1 { return try dense(columns, parameters) }
            let batch = columns.shape[0]
            return try block([columns.reshaped(to: [batch] + inputShape)], parameters).reshaped(to: [batch, outputs])
        }

        /// `[batch, outputs]` without a tape: dense blocks directly, others on a scratch tape of constants.
        func callAsFunction(_ columns: Tensor, _ parameters: ParameterStore) throws -> Tensor {
            if let dense = block as? DenseBlock, inputShape.count == 1 { return try dense(columns, parameters) }
            let batch = columns.shape[0]
            return try block([columns.reshaped(to: [batch] + inputShape)], parameters).reshaped(to: [batch, outputs])
        }
    }

    /// Prefix of every parameter name, e.g. `policy.0`.
    public let name: String
    /// The input branches, concatenated in order.
    public let branches: [Branch]
    /// Applied to the concatenation, if any.
    public let body: BranchBlock?
    /// Applied after the body with a state carried from step to step, if any (Maze's `recurrence`).
    public let recurrence: RecurrentBlock?
    /// The output heads, concatenated in order.
    public let heads: [Linear]
    /// The gain of each head's orthogonal initialisation (0.01 for policy heads, 1 for values).
    public let headGain: Float

    public init(
        name: String, branches: [Branch], body: BranchBlock?, recurrence: RecurrentBlock? = nil, heads: [Linear],
        headGain: Float
    ) throws {
        guard !branches.isEmpty, !heads.isEmpty else {
            throw PerceptionError.invalidConfiguration("network '\(name)' needs at least one input and one head")
        }
        self.name = name
        self.branches = branches
        self.body = body
        self.recurrence = recurrence
        self.heads = heads
        self.headGain = headGain
    }

    /// Width of the concatenated branches: the body's (or the heads') input.
    static func concatenatedWidth(of branches: [Branch]) -> Int {
        branches.reduce(0) { $0 + $1.outputs }
    }

    /// Width of the output.
    public var outputs: Int { heads.reduce(0) { $0 + $1.outputs } }

    /// Writes freshly drawn parameters for every block and head into `parameters`.
    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {
        for branch in branches { try branch.block?.block.initialize(&parameters, using: &generator) }
        try body?.block.initialize(&parameters, using: &generator)
        try recurrence?.initialize(&parameters, using: &generator)
        for head in heads { try head.initialize(&parameters, with: .orthogonal(gain: headGain), using: &generator) }
    }

    /// The outputs of named branch blocks computed on one tape from one batch of observation rows, so that a
    /// critic sharing the policy's embedding (`shared_embedding_keys`: the same parameters) takes the policy's
    /// output instead of computing the same blocks again; the gradients of both heads meet in it.
    public struct SharedEmbeddings {
        /// The network that takes outputs from others; `nil`: nobody does, and nothing is kept.
        private let reader: PerceptionNetwork?
        fileprivate var outputs: [String: (input: FlattenConcatBlock, output: Variable)] = [:]

        /// Outputs kept for `reader`: only those of its branches' blocks computed by another network first (a
        /// critic without `shared_embedding_keys` shares nothing, and a training step then keeps nothing).
        public init(readBy reader: PerceptionNetwork) {
            self.reader = reader
        }

        /// Nothing is shared.
        fileprivate init() {
            reader = nil
        }

        /// Whether the output of the block with `prefix`, computed by network `producer`, is worth keeping.
        fileprivate func keeps(_ prefix: String, computedBy producer: String) -> Bool {
            guard let reader, reader.name != producer else { return false }
            return reader.branches.contains { $0.block?.parameterPrefix == prefix }
        }
    }

    /// `[batch, outputs]` on the tape of `parameters`, for training. A recurrent network needs its state:
    /// ``step(_:state:_:)``.
    public func callAsFunction(_ rows: Variable, _ parameters: BoundParameters) throws -> Variable {
        try requireFeedForward()
        return try applyHeads(embedding(rows, parameters), parameters)
    }

    /// The same on the tape, reusing (and adding to) `shared`'s branch outputs: networks called with the same
    /// `shared` must read the same `rows`.
    public func callAsFunction(_ rows: Variable, _ parameters: BoundParameters, sharing shared: inout SharedEmbeddings)
        throws -> Variable
    {
        try requireFeedForward()
        return try applyHeads(embedding(rows, parameters, sharing: &shared), parameters)
    }

    /// `[batch, outputs]` without a tape: the actors' batched inference path.
    public func callAsFunction(_ rows: Tensor, _ parameters: ParameterStore) throws -> Tensor {
        try requireFeedForward()
        var embeddings: [Tensor] = []
        for branch in branches {
            let selected = try branch.input(rows)
            embeddings.append(try branch.block.map { try $0(selected, parameters) } ?? selected)
        }
        var hidden = try Tensor.concatenatingColumns(embeddings)
        if let body { hidden = try body(hidden, parameters) }
        return try Tensor.concatenatingColumns(heads.map { try $0(hidden, parameters) })
    }

    /// One step of a recurrent network: `[batch, outputs]` and the next `[batch, stateWidth]` state from
    /// `rows` and the `state` the rows' envs carry, on the tape of `parameters`.
    public func step(_ rows: Variable, state: Variable, _ parameters: BoundParameters) throws
        -> (outputs: Variable, state: Variable)
    {
        guard let recurrence else {
            throw PerceptionError.invalidConfiguration("network '\(name)' has no recurrent state")
        }
        let (hidden, next) = try recurrence.step(embedding(rows, parameters), state: state, parameters)
        return (try applyHeads(hidden, parameters), next)
    }

    /// The branches and the body: the input of the recurrent block or the heads.
    func embedding(_ rows: Variable, _ parameters: BoundParameters) throws -> Variable {
        var unshared = SharedEmbeddings()
        return try embedding(rows, parameters, sharing: &unshared)
    }

    private func embedding(_ rows: Variable, _ parameters: BoundParameters, sharing shared: inout SharedEmbeddings)
        throws -> Variable
    {
        func embed(_ branch: Branch) throws -> Variable {
            if let prefix = branch.block?.parameterPrefix, let known = shared.outputs[prefix],
                known.input == branch.input
            {
                return known.output
            }
            let selected = try branch.input(rows)
            let output = try branch.block.map { try $0(selected, parameters) } ?? selected
            if let prefix = branch.block?.parameterPrefix, shared.keeps(prefix, computedBy: name) {
                shared.outputs[prefix] = (branch.input, output)
            }
            return output
        }
        // One branch (the usual flat observation) needs no list of embeddings to concatenate.
        var hidden =
            branches.count == 1
            ? try embed(branches[0]) : try Variable.concatenate(branches.map(embed), alongAxis: 1)
        if let body { hidden = try body(hidden, parameters) }
        return hidden
    }

    /// The heads' outputs, concatenated (a single head's as it is, without a list).
    func applyHeads(_ hidden: Variable, _ parameters: BoundParameters) throws -> Variable {
        if heads.count == 1 { return try heads[0](hidden, parameters) }
        return try Variable.concatenate(heads.map { try $0(hidden, parameters) }, alongAxis: 1)
    }

    private func requireFeedForward() throws {
        guard recurrence == nil else {
            throw PerceptionError.invalidConfiguration(
                "network '\(name)' is recurrent: it acts and trains with the state its envs carry")
        }
    }
}
