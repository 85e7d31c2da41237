import MazeCore
import MazeTensor

/// Turns trunk recipes into concrete networks once the spaces are known, naming every parameter
/// under the network's prefix: `<prefix>.<observation key>` per key block, `<prefix>.body`,
/// `<prefix>.<action key>` or `<prefix>.value` per head.
enum NetworkFactory {
    /// Gain of policy heads: near-zero logits make the initial policy almost uniform.
    static let policyHeadGain: Float = 0.01
    /// Gain of value heads.
    static let valueHeadGain: Float = 1

    /// The network reading `inputs` (key, width) from rows of `layout`, with `trunk` and the given heads.
    static func network(
        prefix: String, trunk: TrunkRecipe, inputs: [(key: String, width: Int)], layout: ObservationLayout,
        heads: [(name: String, width: Int)], headGain: Float
    ) throws -> PerceptionNetwork {
        var branches: [PerceptionNetwork.Branch] = []
        // Keys without a block of their own are concatenated into one branch that goes straight on.
        var plain: [(key: String, width: Int)] = []
        for input in inputs {
            guard let recipe = trunk.keyBlocks[input.key] ?? trunk.defaultKeyBlock else {
                plain.append(input)
                continue
            }
            let block = try DenseBlock(name: "\(prefix).\(input.key)", inputs: input.width, hiddenUnits: recipe.hiddenUnits, nonLinearity: recipe.nonLinearity)
            branches.append(.init(input: try FlattenConcatBlock(keys: [input], layout: layout), block: block))
        }
        if !plain.isEmpty {
            branches.append(.init(input: try FlattenConcatBlock(keys: plain, layout: layout), block: nil))
        }
        var width = PerceptionNetwork.concatenatedWidth(of: branches)
        var body: DenseBlock?
        if let recipe = trunk.body {
            let block = try DenseBlock(name: "\(prefix).body", inputs: width, hiddenUnits: recipe.hiddenUnits, nonLinearity: recipe.nonLinearity)
            width = block.outputs
            body = block
        }
        let linears = try heads.map { try Linear(name: "\(prefix).\($0.name)", inputs: width, outputs: $0.width) }
        return try PerceptionNetwork(name: prefix, branches: branches, body: body, heads: linears, headGain: headGain)
    }
}
