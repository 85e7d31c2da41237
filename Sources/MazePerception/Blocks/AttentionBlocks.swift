import MazeTensor

/// Maze's `MultiHeadAttentionBlock` (`torch.nn.MultiheadAttention`, Vaswani et al. 2017): inputs query
/// `[L_q, E]`, key `[L_k, E]`, value `[L_k, E]` and optionally a key mask `[L_k]` (1 = attend);
/// output `[L_q, E]`, plus the query when `add_input_to_output` (a residual connection).
/// Parameters `<name>.in_proj_weight`, `<name>.in_proj_bias`, `<name>.out_proj.weight/bias`.
public struct MultiHeadAttentionBlock: PerceptionBlock, Equatable, Codable {
    public let attention: MultiHeadAttention
    public let queryShape: [Int]
    public let keyLength: Int
    public let addInputToOutput: Bool

    public init(name: String, inputShapes: [[Int]], heads: Int, addInputToOutput: Bool) throws {
        guard inputShapes.count >= 3, inputShapes.count <= 4, inputShapes[0].count == 2, inputShapes[1].count == 2,
            inputShapes[1] == inputShapes[2], inputShapes[0][1] == inputShapes[1][1],
            inputShapes.count == 3 || inputShapes[3] == [inputShapes[1][0]]
        else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': a MultiHeadAttentionBlock reads query [L, E], key and value [L_k, E] and an optional mask [L_k], got \(inputShapes)"
            )
        }
        attention = try MultiHeadAttention(name: name, embedDimension: inputShapes[0][1], heads: heads)
        queryShape = inputShapes[0]
        keyLength = inputShapes[1][0]
        self.addInputToOutput = addInputToOutput
    }

    public var outputShape: [Int] { queryShape }

    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {
        try attention.initialize(&parameters, using: &generator)
    }

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "MultiHeadAttentionBlock", count: 3...4)
        try BlockInputs.expect(inputs[0], shape: queryShape, "MultiHeadAttentionBlock")
        let mask = inputs.count == 4 ? try BlockInputs.mask(inputs[3]) : nil
        let attended = try attention(query: inputs[0], key: inputs[1], value: inputs[2], keyMask: mask, parameters)
        return addInputToOutput ? try attended + inputs[0] : attended
    }
}

/// Maze's `SelfAttentionSeqBlock`: multi-head self-attention over a sequence `[L, E]` (query, key and
/// value are the input), with an optional mask `[L]` of the elements that may be attended to, and the
/// input added to the output when `add_input_to_output`.
public struct SelfAttentionSeqBlock: PerceptionBlock, Equatable, Codable {
    public let attention: MultiHeadAttentionBlock

    public init(name: String, inputShapes: [[Int]], heads: Int, addInputToOutput: Bool) throws {
        guard let sequence = inputShapes.first, inputShapes.count <= 2 else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': a SelfAttentionSeqBlock reads a sequence [L, E] and an optional mask [L], got \(inputShapes)"
            )
        }
        attention = try MultiHeadAttentionBlock(
            name: name, inputShapes: [sequence, sequence, sequence] + inputShapes.dropFirst(), heads: heads,
            addInputToOutput: addInputToOutput)
    }

    public var outputShape: [Int] { attention.outputShape }

    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {
        try attention.initialize(&parameters, using: &generator)
    }

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "SelfAttentionSeqBlock", count: 1...2)
        return try attention([inputs[0], inputs[0], inputs[0]] + inputs.dropFirst(), parameters)
    }
}

/// Maze's `SelfAttentionConvBlock` (Zhang et al. 2019, "Self-Attention GANs"): over the `H·W` positions
/// of a feature map `[C, H, W]`, queries and keys are 1×1 projections to `embed_dim` channels and values a
/// 1×1 projection to `C`; the attended map, scaled by a learned `γ` that starts at 0, is added to the
/// input when `add_input_to_output`. Parameters `<name>.query|key|value.weight/bias` and `<name>.gamma`.
public struct SelfAttentionConvBlock: PerceptionBlock, Equatable, Codable {
    public let inputShape: [Int]
    public let query: Linear, key: Linear, value: Linear
    public let gammaName: String
    public let addInputToOutput: Bool

    public init(name: String, inputShape: [Int], embedDim: Int, addInputToOutput: Bool) throws {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': a SelfAttentionConvBlock needs [channels, height, width] inputs, got \(inputShape)")
        }
        query = try Linear(name: "\(name).query", inputs: inputShape[0], outputs: embedDim)
        key = try Linear(name: "\(name).key", inputs: inputShape[0], outputs: embedDim)
        value = try Linear(name: "\(name).value", inputs: inputShape[0], outputs: inputShape[0])
        gammaName = "\(name).gamma"
        self.inputShape = inputShape
        self.addInputToOutput = addInputToOutput
    }

    public var outputShape: [Int] { inputShape }

    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {
        for projection in [query, key, value] {
            try projection.initialize(&parameters, with: .xavierUniform(gain: 1), using: &generator)
        }
        parameters[gammaName] = Tensor([0])
    }

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "SelfAttentionConvBlock", count: 1...1)
        try BlockInputs.expect(inputs[0], shape: inputShape, "SelfAttentionConvBlock")
        let batch = inputs[0].shape[0]
        let channels = inputShape[0]
        // [B, C, H, W] → [B, H·W, C]: one row per position, so 1×1 convolutions are linear layers.
        let positions = try inputs[0].reshaped(to: [batch, channels, -1]).transposed(1, 2)
        let attended = try query(positions, parameters).attention(
            key: key(positions, parameters), value: value(positions, parameters))
        let map = try attended.transposed(1, 2).reshaped(to: [batch] + inputShape)
        let scaled = try map * parameters[gammaName]
        return addInputToOutput ? try scaled + inputs[0] : scaled
    }
}
