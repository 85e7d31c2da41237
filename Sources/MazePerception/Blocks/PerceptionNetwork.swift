import MazeTensor

/// A feed-forward network from flat observation rows to output columns, the shape every template
/// model takes: input branches (selected keys, each optionally through its own block), concatenated,
/// an optional body block, then one linear head per output (an action key's distribution parameters,
/// or the value), whose outputs are concatenated in order.
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

        public init(inputShape: [Int], block: any PerceptionBlock) {
            self.inputShape = inputShape
            self.block = block
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
    /// The output heads, concatenated in order.
    public let heads: [Linear]
    /// The gain of each head's orthogonal initialisation (0.01 for policy heads, 1 for values).
    public let headGain: Float

    public init(name: String, branches: [Branch], body: BranchBlock?, heads: [Linear], headGain: Float) throws {
        guard !branches.isEmpty, !heads.isEmpty else {
            throw PerceptionError.invalidConfiguration("network '\(name)' needs at least one input and one head")
        }
        self.name = name
        self.branches = branches
        self.body = body
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
        for head in heads { try head.initialize(&parameters, with: .orthogonal(gain: headGain), using: &generator) }
    }

    /// `[batch, outputs]` on the tape of `parameters`, for training.
    public func callAsFunction(_ rows: Variable, _ parameters: BoundParameters) throws -> Variable {
        var embeddings: [Variable] = []
        for branch in branches {
            let selected = try branch.input(rows)
            embeddings.append(try branch.block.map { try $0(selected, parameters) } ?? selected)
        }
        var hidden = embeddings.count == 1 ? embeddings[0] : try Variable.concatenate(embeddings, alongAxis: 1)
        if let body { hidden = try body(hidden, parameters) }
        let outputs = try heads.map { try $0(hidden, parameters) }
        return outputs.count == 1 ? outputs[0] : try Variable.concatenate(outputs, alongAxis: 1)
    }

    /// `[batch, outputs]` without a tape: the actors' batched inference path.
    public func callAsFunction(_ rows: Tensor, _ parameters: ParameterStore) throws -> Tensor {
        var embeddings: [Tensor] = []
        for branch in branches {
            let selected = try branch.input(rows)
            embeddings.append(try branch.block.map { try $0(selected, parameters) } ?? selected)
        }
        var hidden = try Tensor.concatenatingColumns(embeddings)
        if let body { hidden = try body(hidden, parameters) }
        return try Tensor.concatenatingColumns(heads.map { try $0(hidden, parameters) })
    }
}
