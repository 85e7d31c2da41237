import MazeTensor

/// Maze's `GraphAttentionBlock` (Veličković et al. 2018, "Graph Attention Networks"): inputs node
/// features `[N, F]` and an adjacency matrix `[N, N]`; output `[N, features]`.
///
/// Every layer has `n_heads` heads. A head projects the nodes, `h = x W`, scores every edge
/// `e_ij = LeakyReLU_α(h_i · a₁ + h_j · a₂)`, keeps the scores where `A + I > 0` (a node attends to its
/// neighbours and to itself), normalises them with a softmax over `j` and returns `Σ_j softmax(e)_ij h_j`.
/// The heads are concatenated, except in the last layer when `avg_last_head_attentions`, where they are
/// averaged; then the layer's non-linearity is applied. The adjacency is an observation: it receives no
/// gradient. Parameters `<name>.<layer>.<head>.weight` `[in, out]`, `.weight_a1` and `.weight_a2` `[out, 1]`
/// (the shapes of Maze's `GraphAttentionLayer`).
public struct GraphAttentionBlock: PerceptionBlock, Equatable, Codable {
    /// One attention head's parameter names.
    public struct Head: Equatable, Codable, Sendable {
        public let weightName: String
        public let sourceAttentionName: String
        public let targetAttentionName: String
    }

    /// One multi-head attention layer and the non-linearity after it.
    public struct Layer: Equatable, Codable, Sendable {
        public let inputs: Int
        public let outputsPerHead: Int
        public let heads: [Head]
        /// The negative slope of the score's LeakyReLU (`attention_alpha`).
        public let alpha: Float
        /// Whether the heads are averaged (otherwise concatenated).
        public let averagesHeads: Bool
        public let activation: Activation

        var outputs: Int { averagesHeads ? outputsPerHead : outputsPerHead * heads.count }
    }

    public let nodeShape: [Int]
    public let layers: [Layer]

    /// - Parameters: one entry per layer in `hiddenFeatures`, `heads`, `alphas` and `nonLinearities`.
    public init(
        name: String, inputShapes: [[Int]], hiddenFeatures: [Int], heads: [Int], alphas: [Float],
        nonLinearities: [Activation], averageLastHeads: Bool
    ) throws {
        guard inputShapes.count == 2, inputShapes[0].count == 2, inputShapes[0].allSatisfy({ $0 > 0 }),
            inputShapes[1] == [inputShapes[0][0], inputShapes[0][0]]
        else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': a GraphAttentionBlock reads node features [N, F] and an adjacency [N, N], got \(inputShapes)"
            )
        }
        guard !hiddenFeatures.isEmpty, hiddenFeatures.allSatisfy({ $0 > 0 }), heads.allSatisfy({ $0 > 0 }) else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': hidden_features and n_heads need positive entries, got \(hiddenFeatures) and \(heads)")
        }
        let count = hiddenFeatures.count
        guard heads.count == count, alphas.count == count, nonLinearities.count == count else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': n_heads, attention_alpha and non_lins need one entry per layer of hidden_features (\(count))"
            )
        }
        var width = inputShapes[0][1]
        var layers: [Layer] = []
        for index in 0..<count {
            let layer = Layer(
                inputs: width, outputsPerHead: hiddenFeatures[index],
                heads: (0..<heads[index]).map { head in
                    let prefix = "\(name).\(index).\(head)"
                    return Head(
                        weightName: prefix + ".weight", sourceAttentionName: prefix + ".weight_a1",
                        targetAttentionName: prefix + ".weight_a2")
                }, alpha: alphas[index], averagesHeads: averageLastHeads && index == count - 1,
                activation: nonLinearities[index])
            layers.append(layer)
            width = layer.outputs
        }
        self.nodeShape = inputShapes[0]
        self.layers = layers
    }

    public var outputShape: [Int] { [nodeShape[0], layers[layers.count - 1].outputs] }

    /// Xavier-uniform with gain √2 for every weight (as the GAT reference implementation).
    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {
        let initializer = Initializer.xavierUniform(gain: Float(2).squareRoot())
        for layer in layers {
            for head in layer.heads {
                // `Initializer` draws `[outputs, inputs]`; these matrices are `[in, out]` and `[out, 1]`.
                parameters[head.weightName] = try initializer.weight(
                    outputs: layer.inputs, inputs: layer.outputsPerHead, using: &generator)
                for name in [head.sourceAttentionName, head.targetAttentionName] {
                    parameters[name] = try initializer.weight(
                        outputs: layer.outputsPerHead, inputs: 1, using: &generator)
                }
            }
        }
    }

    /// Where `A + I` has no edge (`[B, N, N]`): those scores are left out of the softmax.
    func missingEdges(_ adjacency: Tensor) throws -> Mask {
        let nodes = nodeShape[0]
        let scalars = adjacency.scalars
        return try Mask(
            shape: adjacency.shape,
            elements: scalars.indices.map { index in
                let diagonal = (index % (nodes * nodes)) % (nodes + 1) == 0
                return scalars[index] + (diagonal ? 1 : 0) <= 0
            })
    }

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "GraphAttentionBlock", count: 2...2)
        try BlockInputs.expect(inputs[0], shape: nodeShape, "GraphAttentionBlock")
        try BlockInputs.expect(inputs[1], shape: [nodeShape[0], nodeShape[0]], "GraphAttentionBlock")
        let missing = try missingEdges(inputs[1].value)
        var nodes = inputs[0]
        for layer in layers {
            let heads = try layer.heads.map { head in
                try attend(nodes, head: head, alpha: layer.alpha, missing: missing, parameters)
            }
            let combined =
                layer.averagesHeads
                ? try heads.dropFirst().reduce(heads[0], +) / Float(heads.count)
                : try Variable.concatenate(heads, alongAxis: -1)
            nodes = try combined.activated(layer.activation)
        }
        return nodes
    }

    /// One head: `softmax_j(LeakyReLU(h_i · a₁ + h_j · a₂))` over the edges of `A + I`, applied to `h = x W`.
    private func attend(
        _ nodes: Variable, head: Head, alpha: Float, missing: Mask, _ parameters: BoundParameters
    ) throws -> Variable {
        let projected = try nodes.matmul(parameters[head.weightName])
        let source = try projected.matmul(parameters[head.sourceAttentionName])
        let target = try projected.matmul(parameters[head.targetAttentionName]).transposed(-2, -1)
        let scores = try source + target
        let positive = try Mask(shape: scores.shape, elements: scores.value.scalars.map { $0 > 0 })
        let leaky = try Variable.select(positive, scores, scores * alpha)
        return try leaky.maskedFill(missing, with: -1e9).softmax(alongAxis: -1).matmul(projected)
    }
}
