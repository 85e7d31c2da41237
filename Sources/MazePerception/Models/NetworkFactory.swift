import MazeCore
import MazeTensor

/// Turns trunk recipes into concrete networks once the spaces are known, naming every parameter
/// under the network's prefix: `<prefix>.<observation key>` per key block, `<prefix>.body`, `<prefix>.recurrence`,
/// `<prefix>.<action key>` or `<prefix>.value` per head.
enum NetworkFactory {
    /// Gain of policy heads: near-zero logits make the initial policy almost uniform.
    static let policyHeadGain: Float = 0.01
    /// Gain of value heads.
    static let valueHeadGain: Float = 1

    /// The network reading `inputs` (key, width) from rows of `layout`, with `trunk` and the given heads.
    /// `shapes` gives each key's per-sample shape (a key without one is read as a vector). Blocks the
    /// trunk shares with the policy (`sharedEmbeddingKeys`) are named under `sharedPrefix` instead.
    static func network(
        prefix: String, trunk: TrunkRecipe, inputs: [(key: String, width: Int)], shapes: [String: [Int]],
        layout: ObservationLayout,
        heads: [(name: String, width: Int)], headGain: Float, sharedPrefix: String? = nil
    ) throws -> PerceptionNetwork {
        let sharesLatent = sharedPrefix != nil && trunk.sharedEmbeddingKeys.contains(TrunkRecipe.latentKey)
        func owner(of key: String) -> String {
            guard let sharedPrefix, sharesLatent || trunk.sharedEmbeddingKeys.contains(key) else { return prefix }
            return sharedPrefix
        }
        if sharedPrefix != nil, trunk.graph == nil {
            let known = Set(inputs.map(\.key)).union([TrunkRecipe.latentKey])
            if let unknown = trunk.sharedEmbeddingKeys.subtracting(known).sorted().first {
                throw PerceptionError.invalidConfiguration(
                    "shared_embedding_keys: '\(unknown)' is neither an observation key (\(inputs.map(\.key))) nor '\(TrunkRecipe.latentKey)'"
                )
            }
        }
        if let graph = trunk.graph {
            return try self.network(
                prefix: prefix, graph: graph, shapes: shapes, layout: layout, heads: heads, headGain: headGain,
                sharedPrefix: sharedPrefix,
                sharedKeys: trunk.sharedEmbeddingKeys)
        }
        var branches: [PerceptionNetwork.Branch] = []
        // Keys without a block of their own are concatenated into one branch that goes straight on.
        var plain: [(key: String, width: Int)] = []
        for input in inputs {
            guard let recipe = trunk.keyBlocks[input.key] ?? trunk.defaultKeyBlock else {
                plain.append(input)
                continue
            }
            // A DenseBlock reads the key flattened (as the template models always have); other blocks read it
            // in its own shape (an image [C, H, W], a set [N, F]). Scalars are vectors of one.
            let ownShape = shapes[input.key].flatMap { $0.isEmpty ? nil : $0 } ?? [input.width]
            let shape = recipe.type == "DenseBlock" ? [input.width] : ownShape
            let name = "\(owner(of: input.key)).\(input.key)"
            let block = try recipe.block(name: name, inputShapes: [shape])
            branches.append(
                .init(
                    input: try FlattenConcatBlock(keys: [input], layout: layout),
                    block: .init(inputShape: shape, block: block, parameterPrefix: name)))
        }
        if !plain.isEmpty {
            branches.append(.init(input: try FlattenConcatBlock(keys: plain, layout: layout), block: nil))
        }
        var width = PerceptionNetwork.concatenatedWidth(of: branches)
        var body: PerceptionNetwork.BranchBlock?
        if let recipe = trunk.body {
            let block = PerceptionNetwork.BranchBlock(
                inputShape: [width],
                block: try recipe.block(
                    name: "\(sharesLatent ? owner(of: TrunkRecipe.latentKey) : prefix).body", inputShapes: [[width]]))
            width = block.outputs
            body = block
        }
        let recurrence = try trunk.recurrence.map {
            try RecurrentBlock(name: "\(prefix).recurrence", inputWidth: width, recipe: $0)
        }
        width = recurrence?.outputs ?? width
        let linears = try heads.map { try Linear(name: "\(prefix).\($0.name)", inputs: width, outputs: $0.width) }
        return try PerceptionNetwork(
            name: prefix, branches: branches, body: body, recurrence: recurrence, heads: linears, headGain: headGain)
    }

    /// A custom network: the graph's blocks on the observation keys they read, then the heads.
    private static func network(
        prefix: String, graph recipe: GraphRecipe, shapes: [String: [Int]], layout: ObservationLayout,
        heads: [(name: String, width: Int)],
        headGain: Float, sharedPrefix: String?, sharedKeys: Set<String>
    ) throws -> PerceptionNetwork {
        // Observation keys in row order; keys of other sub-steps (a shared critic's union) after them.
        let keys = layout.keys + shapes.keys.filter { !layout.keys.contains($0) }.sorted()
        let graph = try BlockGraph(
            recipe: recipe, prefix: prefix, shapes: keys.compactMap { key in shapes[key].map { (key, $0) } },
            sharedPrefix: sharedPrefix, sharedKeys: sharedKeys)
        let input = try FlattenConcatBlock(
            keys: graph.observationKeys.map { ($0, shapes[$0]?.reduce(1, *) ?? 1) }, layout: layout)
        let branch = PerceptionNetwork.Branch(input: input, block: .init(inputShape: [graph.inputWidth], block: graph))
        let width = graph.outputShape.reduce(1, *)
        let linears = try heads.map { try Linear(name: "\(prefix).\($0.name)", inputs: width, outputs: $0.width) }
        return try PerceptionNetwork(name: prefix, branches: [branch], body: nil, heads: linears, headGain: headGain)
    }
}
